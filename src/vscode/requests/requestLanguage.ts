import { CommandId, InternalCommandId } from '../contributionIds';

/**
 * What both halves of the request files' editor side name: the part activation registers
 * (`lazyRequestFiles.ts`) and the part it loads on first use (`requestFiles.ts`, dist/requests.js).
 * Nothing here may import the parser or the runner.
 */

/** The language ID of `.imp` request files. */
export const REQUEST_LANGUAGE = 'impervious';

/** The request files' commands: registered at activation, handled by the part loaded on first use. */
export const REQUEST_COMMANDS = [CommandId.RunRequest, CommandId.RunAllRequests, CommandId.NewRequestFile, CommandId.ClearRequestResults, InternalCommandId.SendRequestBlock] as const;

export type RequestCommandId = (typeof REQUEST_COMMANDS)[number];
