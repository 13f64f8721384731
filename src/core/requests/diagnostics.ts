import * as l10n from '@vscode/l10n';
import { isNodePubkey } from '../sending/nodePubkey';
import { cycleProblems } from './dependencies';
import { MAX_PROBLEMS, ProblemList } from './parser';
import { checkReferences, shown } from './references';
import { displayName, type Reference, type RequestBlock, type RequestFile, type RequestProblem } from './requestFile';
import { nodeProblem } from './runner';

export interface DiagnosticContext {
  readonly nodeNames: readonly string[];
  readonly minimumAmount: (bytes: number) => bigint;
}

/**
 * Every problem the editor shows for a file: the parser's, unknown variables and blocks, reference
 * cycles, blocks whose names or titles collide, reply text spliced raw into a JSON body, `Node:`
 * values that name no configured node, amounts below the node's minimum and SEND variables that
 * hold no pubkey. Values that only a run can know (block results) are not judged. At most
 * MAX_PROBLEMS, like the parser's, and linear in the file: it runs on every edit.
 */
export function requestDiagnostics(file: RequestFile, context: DiagnosticContext): RequestProblem[] {
  if (file.problems.length > MAX_PROBLEMS) {
    // The parser's list is full already (its last line counts the rest): nothing more would show.
    return [...file.problems];
  }
  const problems = new ProblemList();
  const add = (found: readonly RequestProblem[]): void => found.forEach((problem) => problems.push(problem));
  add(file.problems);
  add(checkReferences(file));
  add(cycleProblems(file));
  add(nameCollisions(file));
  for (const block of file.blocks) {
    if (problems.full) {
      break;
    }
    add(rawReplyProblems(block));
    const pubkey = block.pubkey;
    const only = pubkey?.references.length === 1 ? pubkey.references[0] : undefined;
    if (only?.target?.kind === 'variable' && !only.json && only.length === pubkey!.text.length) {
      const value = file.variables.get(only.target.name)?.value;
      if (value !== undefined && !isNodePubkey(value)) {
        problems.push({ range: only.range, severity: 'error', message: l10n.t('Variable "{0}" holds "{1}", not a node pubkey', only.target.name, shown(value)) });
      }
    }
    for (const header of block.headers) {
      if (header.value.references.length > 0) {
        continue;
      }
      const value = header.value.text;
      if (header.name === 'Node') {
        const problem = nodeProblem(value, context.nodeNames);
        if (problem) {
          problems.push({ range: header.value.range, severity: 'error', message: problem });
        }
      } else if (header.name === 'Amount' && /^\d{1,18}$/.test(value) && !block.body?.references.length) {
        const minimum = context.minimumAmount(Buffer.byteLength(block.body?.text ?? '', 'utf8'));
        if (BigInt(value) < minimum) {
          problems.push({ range: header.value.range, severity: 'error', message: l10n.t("Amount {0} is below the node's minimum of {1} for this body", value, minimum.toString()) });
        }
      }
    }
  }
  return problems.list;
}

/**
 * Blocks whose result name (`@name`, else title, else `#n`) another block already has: their
 * results, run states and tests would be taken for each other. Two equal `@name`s are the parser's
 * error; this adds a title equal to a title or to another block's `@name`.
 */
export function nameCollisions(file: RequestFile): RequestProblem[] {
  const first = new Map<string, RequestBlock>();
  const problems: RequestProblem[] = [];
  for (const block of file.blocks) {
    const name = displayName(block);
    const earlier = first.get(name);
    if (!earlier) {
      first.set(name, block);
      continue;
    }
    if (block.name !== undefined && earlier.name === block.name) {
      continue;
    }
    const line = block.range.start.line;
    const range = block.nameRange ?? { start: { line, character: 0 }, end: { line, character: 3 + (block.title.length > 0 ? 1 + block.title.length : 0) } };
    problems.push({
      range,
      severity: 'warning',
      message: l10n.t('"{0}" is also the name of the block at line {1}: their results and tests would be taken for each other; give this block its own "# @name" or title', shown(name), earlier.range.start.line + 1),
    });
  }
  return problems;
}

/**
 * A reference to a reply written without `| json` in a body that looks like JSON: the peer's text
 * goes in as it is, so `pong","pay_to":"…` closes the string and adds keys. One pass over the body.
 */
function rawReplyProblems(block: RequestBlock): RequestProblem[] {
  const body = block.body;
  if (!body || !/^\s*[[{]/.test(body.text)) {
    return [];
  }
  const problems: RequestProblem[] = [];
  let inString = false;
  let at = 0;
  for (const reference of body.references) {
    for (; at < reference.offset; at++) {
      const char = body.text[at];
      if (char === '\\' && inString) {
        at++;
      } else if (char === '"') {
        inString = !inString;
      }
    }
    at = reference.offset + reference.length;
    if (!isRaw(reference)) {
      continue;
    }
    const fixed = `{{${reference.text.trim()} | json}}`;
    problems.push({
      range: reference.range,
      severity: 'warning',
      message: inString
        ? l10n.t("A reply's text inside a JSON string can close the string and add keys: write {0} as the whole value, without the quotes around it", fixed)
        : l10n.t("A reply's text goes into this JSON body as it is and can add keys: write {0}", fixed),
    });
  }
  return problems;
}

function isRaw(reference: Reference): boolean {
  return !reference.json && (reference.target?.kind === 'reply' || reference.target?.kind === 'json');
}
