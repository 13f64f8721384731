import * as vscode from 'vscode';
import { isNodePubkey } from '../../core/sending/nodePubkey';
import type { NodeSubscriptions } from '../../core/nodeSubscriptions';
import { blockFingerprint, blockKeys } from '../../core/requests/blockKeys';
import { blockAtLine } from '../../core/requests/hover';
import { displayName, type RequestFile } from '../../core/requests/requestFile';
import { publicResult, type BlockRun, type BlockRunResult } from '../../core/requests/runner';
import type { SamplePeer } from '../../core/simulator/samplePeers';
import { CommandId, InternalCommandId } from '../contributionIds';
import { REQUEST_LANGUAGE, type RequestCommandId } from './requestLanguage';
import type { RequestSession } from './requestSession';
import { sampleForSimulator } from './sampleRequestFile';

export interface RequestCommandServices {
  readonly session: RequestSession;
  readonly subscriptions: NodeSubscriptions;
  /** The simulated node's sample peers while it runs. */
  readonly simulatorPeers: () => readonly SamplePeer[];
}

/** Each request-file command's handler, by its ID: `lazyRequestFiles.ts` registers the IDs at activation and hands each call here. */
export type RequestCommandHandlers = { readonly [id in RequestCommandId]: (...args: never[]) => unknown };

/**
 * `impervious.runRequest` and `impervious.runAllRequests` resolve with one result per block run
 * (referenced blocks first), or `undefined` when nothing ran (no file, or an untrusted workspace).
 */
export function requestCommands(services: RequestCommandServices): RequestCommandHandlers {
  return {
    [CommandId.RunRequest]: (uri?: vscode.Uri | string, block?: string | number) => runRequest(services.session, uri, block),
    [CommandId.RunAllRequests]: (uri?: vscode.Uri | string) => runAllRequests(services.session, uri),
    [CommandId.NewRequestFile]: () => newRequestFile(services),
    [CommandId.ClearRequestResults]: (uri?: vscode.Uri | string) => clearRequestResults(services.session, uri),
    [InternalCommandId.SendRequestBlock]: (uri: vscode.Uri, index: number, check: boolean, fingerprint?: string) => sendBlock(services.session, uri, index, check, fingerprint),
  };
}

async function runRequest(session: RequestSession, uri: vscode.Uri | string | undefined, block: string | number | undefined): Promise<BlockRunResult[] | undefined> {
  const document = await requestDocument(uri);
  const index = blockIndex(session.file(document), document, block);
  return publicResults(await session.run({ uri: document.uri, text: document.getText() }, { blocks: index }));
}

async function runAllRequests(session: RequestSession, uri: vscode.Uri | string | undefined): Promise<BlockRunResult[] | undefined> {
  const document = await requestDocument(uri);
  return publicResults(await session.run({ uri: document.uri, text: document.getText() }, { blocks: 'all' }));
}

/** A CodeLens click: refused when the block the lens was made for no longer stands at `index`. */
async function sendBlock(session: RequestSession, uri: vscode.Uri, index: number, check: boolean, fingerprint: string | undefined): Promise<BlockRunResult[] | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (fingerprint !== undefined) {
    const file = session.file(document);
    const block = file.blocks[index];
    if (!block || blockFingerprint(blockKeys(file)[index]!, block) !== fingerprint) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Not sent: the file changed under this Send, so it no longer points at the block it was shown for. Click Send again.'));
      return undefined;
    }
  }
  return publicResults(await session.run({ uri: document.uri, text: document.getText() }, { blocks: index, check }));
}

/** What the commands resolve with: the documented fields of each block's run. */
function publicResults(runs: readonly BlockRun[] | undefined): BlockRunResult[] | undefined {
  return runs?.map(publicResult);
}

/**
 * Opens an untitled sample addressed to a peer of the simulated node; resolves with its URI. Never
 * to a sender of held messages: while the simulated node is off, it offers to start it.
 */
async function newRequestFile(services: RequestCommandServices): Promise<string | undefined> {
  const sample = () => sampleForSimulator(services.simulatorPeers());
  let content = sample();
  if (content === undefined) {
    const start = vscode.l10n.t('Start Simulated Node');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The sample request file is addressed to a peer of the simulated node, so that it sends to no one real. Start the simulated node?'),
      start,
    );
    if (choice !== start) {
      return undefined;
    }
    await vscode.commands.executeCommand(CommandId.StartSimulator);
    content = sample();
    if (content === undefined) {
      return undefined;
    }
  }
  const document = await vscode.workspace.openTextDocument({ language: REQUEST_LANGUAGE, content });
  await vscode.window.showTextDocument(document);
  return document.uri.toString();
}

/** Forgets the block results of one request file (a URI), or of every file: its references have no value until its blocks run again. */
function clearRequestResults(session: RequestSession, uri: vscode.Uri | string | undefined): void {
  session.clearResults(uri === undefined ? undefined : typeof uri === 'string' ? vscode.Uri.parse(uri, true).toString() : uri.toString());
}

/** Distinct sender pubkeys of held messages, the most recent first. */
export function knownSenders(subscriptions: NodeSubscriptions, limit: number): string[] {
  const senders = new Set<string>();
  const messages = subscriptions.messages();
  for (let i = messages.length - 1; i >= 0 && senders.size < limit; i--) {
    const sender = messages[i]!.fromPubkey.toLowerCase();
    if (isNodePubkey(sender)) {
      senders.add(sender);
    }
  }
  return [...senders];
}

/** The document to run: the one at `uri`, else the active request file's. */
async function requestDocument(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument> {
  if (uri !== undefined) {
    return vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri, true) : uri);
  }
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== REQUEST_LANGUAGE) {
    throw new Error(vscode.l10n.t('Open a request file (.imp) first.'));
  }
  return document;
}

/** A block by its name (its `@name`, else title or `#n`) or 0-based index, else the block at the cursor. */
function blockIndex(file: RequestFile, document: vscode.TextDocument, block: string | number | undefined): number {
  if (typeof block === 'number') {
    if (file.blocks[block]) {
      return block;
    }
    throw new Error(vscode.l10n.t('The request file has no block {0} (it has {1}).', block, file.blocks.length));
  }
  if (typeof block === 'string') {
    const found = file.blocks.find((candidate) => candidate.name === block) ?? file.blocks.find((candidate) => displayName(candidate) === block);
    if (found) {
      return found.index;
    }
    throw new Error(vscode.l10n.t('The request file has no block named "{0}".', block));
  }
  const editor = vscode.window.activeTextEditor;
  const atCursor = editor?.document === document ? blockAtLine(file, editor.selection.active.line) : undefined;
  if (!atCursor) {
    throw new Error(vscode.l10n.t('Put the cursor in a request block (### …), or name the block to run.'));
  }
  return atCursor.index;
}
