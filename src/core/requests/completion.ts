import * as l10n from '@vscode/l10n';
import { isNodePubkey } from '../sending/nodePubkey';
import { ASSERTION_FORMS } from './assertionSyntax';
import { blockAtLine } from './hover';
import type { Position, RequestFile } from './requestFile';

/** Held messages can hold thousands of senders; a completion list longer than this helps nobody. */
export const MAX_PUBKEY_CANDIDATES = 200;

export type CompletionKind = 'pubkey' | 'variable' | 'block' | 'field' | 'format' | 'node' | 'header' | 'assertion';

export interface CompletionCandidate {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly insertText: string;
  /** The candidate replaces the line from this character to the position. */
  readonly replaceFrom: number;
  readonly detail?: string;
}

export interface CompletionContext {
  /** Senders of held messages, most recent first; anything that is not a pubkey is skipped. */
  readonly knownSenders: readonly string[];
  readonly nodeNames: readonly string[];
}

const FIELDS = ['id', 'reply.id', 'reply.data', 'reply.from', 'reply.json.'];
const REPLY_FIELDS = ['id', 'data', 'from', 'json.'];
const HEADERS = ['Amount: ', 'Node: ', 'Reply-To: '];

/** Candidates at a position; `lineText` is the position's whole line. Pure: the editor maps them to its items. */
export function completeAt(file: RequestFile, lineText: string, position: Position, context: CompletionContext): CompletionCandidate[] {
  const before = lineText.slice(0, position.character);
  const open = before.lastIndexOf('{{');
  if (open >= 0 && before.indexOf('}}', open) < 0) {
    return referenceCandidates(file, before, open + 2);
  }
  const send = /^SEND\s+/.exec(before);
  if (send) {
    return pubkeyCandidates(file, context, send[0].length);
  }
  const node = /^Node:\s*/i.exec(before);
  if (node) {
    return context.nodeNames.map((name) => ({ label: name, kind: 'node', insertText: name, replaceFrom: node[0].length }));
  }
  const expect = /^>\s*expect\s+/.exec(before);
  if (expect) {
    return ASSERTION_FORMS.map((form) => ({ label: form, kind: 'assertion', insertText: form, replaceFrom: expect[0].length }));
  }
  if (/^[A-Za-z-]*$/.test(before) && isHeaderLine(file, position.line)) {
    return HEADERS.map((header) => ({ label: header.trim(), kind: 'header', insertText: header, replaceFrom: 0 }));
  }
  return [];
}

function referenceCandidates(file: RequestFile, before: string, start: number): CompletionCandidate[] {
  const partial = before.slice(start);
  const from = start + (partial.length - partial.trimStart().length);
  const text = partial.trim();
  const bar = partial.indexOf('|');
  if (bar >= 0) {
    // After `|` the one format: the value as a JSON value, safe inside a JSON body.
    const after = partial.slice(bar + 1);
    return [{ label: 'json', kind: 'format', insertText: 'json', replaceFrom: start + bar + 1 + (after.length - after.trimStart().length), detail: l10n.t('the value as a JSON value: a string with its quotes and escapes') }];
  }
  const dot = text.indexOf('.');
  if (dot < 0) {
    const variables = [...file.variables.values()].map((variable): CompletionCandidate => ({ label: variable.name, kind: 'variable', insertText: variable.name, replaceFrom: from, detail: variable.value }));
    const blocks = file.blocks.flatMap((block): CompletionCandidate[] =>
      block.name !== undefined ? [{ label: block.name, kind: 'block', insertText: `${block.name}.`, replaceFrom: from, detail: block.title }] : [],
    );
    return [...variables, ...blocks];
  }
  const afterName = text.slice(dot + 1);
  const fieldFrom = from + dot + 1;
  if (afterName.startsWith('reply.')) {
    return REPLY_FIELDS.map((field) => ({ label: field, kind: 'field', insertText: field, replaceFrom: fieldFrom + 'reply.'.length }));
  }
  return FIELDS.map((field) => ({ label: field, kind: 'field', insertText: field, replaceFrom: fieldFrom }));
}

function pubkeyCandidates(file: RequestFile, context: CompletionContext, from: number): CompletionCandidate[] {
  const seen = new Set<string>();
  const candidates: CompletionCandidate[] = [];
  for (const variable of file.variables.values()) {
    if (isNodePubkey(variable.value)) {
      candidates.push({ label: `{{${variable.name}}}`, kind: 'variable', insertText: `{{${variable.name}}}`, replaceFrom: from, detail: variable.value });
    }
  }
  for (const sender of context.knownSenders) {
    if (candidates.length >= MAX_PUBKEY_CANDIDATES) {
      break;
    }
    const pubkey = sender.toLowerCase();
    if (isNodePubkey(pubkey) && !seen.has(pubkey)) {
      seen.add(pubkey);
      candidates.push({ label: pubkey, kind: 'pubkey', insertText: pubkey, replaceFrom: from, detail: l10n.t('sent you a message') });
    }
  }
  return candidates;
}

/** Whether a line sits between a block's SEND line and the blank line that starts its body. */
function isHeaderLine(file: RequestFile, line: number): boolean {
  const block = blockAtLine(file, line);
  if (!block?.sendRange || line <= block.sendRange.start.line) {
    return false;
  }
  // The blank line that ends the headers is where a new header gets typed.
  if (block.headersEndLine !== undefined && line > block.headersEndLine) {
    return false;
  }
  const firstExpect = block.expectations[0];
  return firstExpect === undefined || line < firstExpect.range.start.line;
}
