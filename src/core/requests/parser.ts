// Longer than most files here: one state machine over the grammar's sections (preamble, meta,
// headers, body, expects), whose line readers only make sense read together.
import * as l10n from '@vscode/l10n';
import { isNodePubkey } from '../sending/nodePubkey';
import { parseAssertion, parseDuration } from './assertionSyntax';
import { scanReferences, shown } from './references';
import {
  lineRange,
  type Expectation,
  type FileVariable,
  type HeaderName,
  type Reference,
  type RequestBlock,
  type RequestFile,
  type RequestHeader,
  type RequestProblem,
  type TextSpan,
} from './requestFile';

/** Enough to fix a file by; a file with more is broken throughout, and more would only slow the editor. */
export const MAX_PROBLEMS = 1000;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const VARIABLE = /^@([^=\s]*)\s*=(.*)$/s;
const META = /^#\s?@(name|timeout)(?:\s+(.*))?$/s;
const SEND = /^SEND(?:\s+(.*))?$/s;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*)\s*:(.*)$/s;
const EXPECT = /^>\s*expect\b/;
/** A Map, not an object: a header written `Constructor:` or `__proto__:` must find nothing inherited. */
const HEADERS: ReadonlyMap<string, HeaderName> = new Map([
  ['amount', 'Amount'],
  ['node', 'Node'],
  ['reply-to', 'Reply-To'],
]);

type Section = 'meta' | 'headers' | 'body' | 'expects';

interface OpenBlock {
  index: number;
  title: string;
  startLine: number;
  name: string | undefined;
  nameRange: RequestBlock['nameRange'];
  timeoutMs: number | undefined;
  sendRange: RequestBlock['sendRange'];
  pubkey: TextSpan | undefined;
  headers: RequestHeader[];
  headersEndLine: number | undefined;
  bodyLines: { text: string; line: number }[];
  expectations: Expectation[];
  section: Section;
}

/**
 * Parses a request file. One pass over the lines; every regex here is anchored and linear, and a
 * line's references are found in one scan, so a 1 MiB line or 10,000 blocks cost time in proportion.
 */
export function parseRequestFile(source: string): RequestFile {
  const lines = source.split(/\r\n|\r|\n/);
  const problems = new ProblemList();
  const variables = new Map<string, FileVariable>();
  const blocks: RequestBlock[] = [];
  /** Each `@name` with the line of its first use. */
  const blockNames = new Map<string, number>();
  let open: OpenBlock | undefined;

  const close = (lastLine: number) => {
    if (!open) {
      return;
    }
    if (!open.sendRange) {
      problems.add(lineRange(open.startLine, 0, 3 + open.title.length), 'error', l10n.t('This block has no "SEND <pubkey>" line'));
    }
    if (open.name !== undefined) {
      const first = blockNames.get(open.name);
      if (first !== undefined) {
        problems.add(open.nameRange!, 'error', l10n.t('Another block is already named "{0}" (line {1}); references and results would take that one', open.name, first + 1));
      } else {
        blockNames.set(open.name, open.nameRange!.start.line);
      }
    }
    blocks.push({
      index: open.index,
      title: open.title,
      name: open.name,
      nameRange: open.nameRange,
      timeoutMs: open.timeoutMs,
      range: { start: { line: open.startLine, character: 0 }, end: { line: lastLine, character: lines[lastLine]!.length } },
      sendRange: open.sendRange,
      pubkey: open.pubkey,
      headers: open.headers,
      headersEndLine: open.headersEndLine,
      body: bodySpan(open.bodyLines, problems),
      expectations: open.expectations,
    });
    open = undefined;
  };

  for (let line = 0; line < lines.length; line++) {
    const text = lines[line]!;
    if (text.startsWith('###')) {
      close(line - 1);
      const title = text.slice(3).trim();
      open = {
        index: blocks.length,
        title,
        startLine: line,
        name: undefined,
        nameRange: undefined,
        timeoutMs: undefined,
        sendRange: undefined,
        pubkey: undefined,
        headers: [],
        headersEndLine: undefined,
        bodyLines: [],
        expectations: [],
        section: 'meta',
      };
      continue;
    }
    if (!open) {
      preambleLine(text, line, variables, problems);
      continue;
    }
    blockLine(open, text, line, problems);
  }
  close(lines.length - 1);
  return { variables, blocks, problems: problems.list, lineCount: lines.length };
}

function preambleLine(text: string, line: number, variables: Map<string, FileVariable>, problems: ProblemList): void {
  if (isBlank(text) || isComment(text)) {
    return;
  }
  const match = VARIABLE.exec(text);
  if (!match) {
    problems.add(lineRange(line, 0, text.length), 'error', l10n.t('Before the first "###" only "@name = value" variables and comments may stand'));
    return;
  }
  const name = match[1]!;
  const nameRange = lineRange(line, 0, 1 + name.length);
  if (!NAME.test(name)) {
    problems.add(nameRange, 'error', l10n.t('"{0}" is not a variable name (letters, digits, "_" and "-", not starting with a digit)', shown(name)));
    return;
  }
  if (variables.has(name)) {
    problems.add(nameRange, 'warning', l10n.t('Variable "{0}" is set again; this later value wins', name));
  }
  variables.set(name, { name, value: match[2]!.trim(), range: lineRange(line, 0, text.length), nameRange });
}

function blockLine(block: OpenBlock, text: string, line: number, problems: ProblemList): void {
  const expect = EXPECT.test(text);
  switch (block.section) {
    case 'meta':
      return metaLine(block, text, line, problems);
    case 'headers':
      if (isBlank(text)) {
        block.headersEndLine = line;
        block.section = 'body';
      } else if (expect) {
        block.section = 'expects';
        expectLine(block, text, line, problems);
      } else if (META.test(text)) {
        problems.add(lineRange(line, 0, text.length), 'warning', l10n.t('Meta lines ("# @name", "# @timeout") go before the SEND line; this one is a comment here'));
      } else if (!isComment(text)) {
        headerLine(block, text, line, problems);
      }
      return;
    case 'body':
      if (expect) {
        block.section = 'expects';
        expectLine(block, text, line, problems);
      } else {
        block.bodyLines.push({ text, line });
      }
      return;
    case 'expects':
      if (expect) {
        expectLine(block, text, line, problems);
      } else if (!isBlank(text) && !isComment(text)) {
        problems.add(lineRange(line, 0, text.length), 'error', l10n.t('After the first expect line only "> expect …" lines and comments may follow'));
      }
      return;
  }
}

function metaLine(block: OpenBlock, text: string, line: number, problems: ProblemList): void {
  if (isBlank(text)) {
    return;
  }
  const meta = META.exec(text);
  if (meta) {
    const value = (meta[2] ?? '').trim();
    const start = text.length - (meta[2] ?? '').trimStart().length;
    const range = lineRange(line, start, start + value.length);
    if (meta[1] === 'name') {
      if (!NAME.test(value)) {
        problems.add(range, 'error', l10n.t('"{0}" is not a block name (letters, digits, "_" and "-", not starting with a digit)', shown(value)));
      } else {
        if (block.name !== undefined) {
          problems.add(range, 'warning', l10n.t('This block is already named "{0}"; the later name wins', block.name));
        }
        block.name = value;
        block.nameRange = range;
      }
    } else {
      const ms = parseDuration(value);
      if (ms === undefined || ms === 0) {
        problems.add(range, 'error', l10n.t('"{0}" is not a timeout (a whole number followed by ms, s or m, above 0, e.g. 10s, at most 24 hours)', shown(value)));
      } else {
        block.timeoutMs = ms;
      }
    }
    return;
  }
  if (isComment(text)) {
    return;
  }
  const send = SEND.exec(text);
  if (!send) {
    problems.add(lineRange(line, 0, text.length), 'error', VARIABLE.test(text) ? l10n.t('Variables go before the first "###"') : l10n.t('Expected "SEND <pubkey>" (meta lines and comments may come before it)'));
    return;
  }
  block.sendRange = lineRange(line, 0, text.length);
  block.section = 'headers';
  const raw = send[1] ?? '';
  const value = raw.trim();
  const start = text.length - raw.trimStart().length;
  const span = lineSpan(value, line, start, problems);
  if (value === '') {
    problems.add(lineRange(line, 0, text.length), 'error', l10n.t('SEND needs a pubkey: 66 hex digits or a {{variable}}'));
  } else if (span.references.length === 0 && !isNodePubkey(value)) {
    problems.add(span.range, 'error', l10n.t('"{0}" is not a node pubkey (66 hex digits starting 02 or 03)', shown(value)));
  }
  block.pubkey = span;
}

function headerLine(block: OpenBlock, text: string, line: number, problems: ProblemList): void {
  const match = HEADER.exec(text);
  const name = match ? HEADERS.get(match[1]!.toLowerCase()) : undefined;
  if (!match || !name) {
    const message = match
      ? l10n.t('Unknown header "{0}" (headers are Amount, Node and Reply-To)', shown(match[1]!))
      : l10n.t('Expected a header (Amount:, Node:, Reply-To:) or a blank line before the body');
    problems.add(lineRange(line, 0, text.length), 'error', message);
    return;
  }
  const raw = match[2]!;
  const value = raw.trim();
  const start = text.length - raw.trimStart().length;
  const span = lineSpan(value, line, start, problems);
  const range = lineRange(line, 0, text.length);
  if (block.headers.some((header) => header.name === name)) {
    problems.add(range, 'error', l10n.t('"{0}" is given twice in this block', name));
  }
  if (value === '') {
    problems.add(range, 'error', l10n.t('"{0}:" needs a value', name));
  } else if (span.references.length === 0) {
    const problem = headerValueProblem(name, value);
    if (problem) {
      problems.add(span.range, 'error', problem);
    }
  }
  block.headers.push({ name, value: span, range });
}

/** What is wrong with a header's (substituted) value, or `undefined`. Node names are checked against the configuration elsewhere. */
export function headerValueProblem(name: HeaderName, value: string): string | undefined {
  if (name === 'Amount') {
    return /^\d{1,18}$/.test(value) ? undefined : l10n.t('"{0}" is not an amount (a whole number of satoshis)', shown(value));
  }
  if (name === 'Reply-To') {
    return /^\S+$/.test(value) ? undefined : l10n.t('"{0}" is not a message ID', shown(value));
  }
  return undefined;
}

function expectLine(block: OpenBlock, text: string, line: number, problems: ProblemList): void {
  const at = text.indexOf('expect') + 'expect'.length;
  const raw = text.slice(at);
  const assertionText = raw.trim();
  const start = at + (raw.length - raw.trimStart().length);
  const range = lineRange(line, 0, text.length);
  const parsed = parseAssertion(assertionText, (pubkeyText, offset) => lineSpan(pubkeyText, line, start + offset, problems));
  if (typeof parsed === 'string') {
    problems.add(lineRange(line, start, start + assertionText.length), 'error', parsed);
    return;
  }
  if ('problem' in parsed) {
    problems.add(lineRange(line, start + parsed.offset, start + parsed.offset + parsed.length), 'error', parsed.problem);
    return;
  }
  block.expectations.push({ assertion: parsed, text: assertionText, range });
}

function lineSpan(text: string, line: number, start: number, problems: ProblemList): TextSpan {
  const references: Reference[] = [];
  const found: RequestProblem[] = [];
  scanReferences(text, line, 0, references, found);
  // The scan measured from the span's first character; the span starts at `start` in its line.
  found.forEach((problem) => problems.add(shift(problem.range, start), problem.severity, problem.message));
  return {
    text,
    range: lineRange(line, start, start + text.length),
    references: references.map((reference) => ({ ...reference, range: shift(reference.range, start) })),
  };
}

function shift(range: RequestProblem['range'], by: number): RequestProblem['range'] {
  return lineRange(range.start.line, range.start.character + by, range.end.character + by);
}

function bodySpan(lines: readonly { text: string; line: number }[], problems: ProblemList): TextSpan | undefined {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]!.text)) {
    end--;
  }
  if (end === 0) {
    return undefined;
  }
  const references: Reference[] = [];
  const found: RequestProblem[] = [];
  const parts: string[] = [];
  let offset = 0;
  for (let i = 0; i < end; i++) {
    const { text, line } = lines[i]!;
    scanReferences(text, line, offset, references, found);
    parts.push(text);
    offset += text.length + 1;
  }
  found.forEach((problem) => problems.add(problem.range, problem.severity, problem.message));
  const first = lines[0]!;
  const last = lines[end - 1]!;
  return { text: parts.join('\n'), range: { start: { line: first.line, character: 0 }, end: { line: last.line, character: last.text.length } }, references };
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function isComment(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed.startsWith('#') || trimmed.startsWith('//');
}

/** Problems up to MAX_PROBLEMS, then one line saying how many more there were. */
export class ProblemList {
  private readonly kept: RequestProblem[] = [];
  private dropped = 0;

  add(range: RequestProblem['range'], severity: RequestProblem['severity'], message: string): void {
    this.push({ range, severity, message });
  }

  push(problem: RequestProblem): void {
    if (this.kept.length < MAX_PROBLEMS) {
      this.kept.push(problem);
    } else {
      this.dropped++;
    }
  }

  /** Whether another problem would only be counted. */
  get full(): boolean {
    return this.kept.length >= MAX_PROBLEMS;
  }

  get list(): RequestProblem[] {
    if (this.dropped === 0) {
      return this.kept;
    }
    const last = this.kept[this.kept.length - 1]!;
    const message = this.dropped === 1 ? l10n.t('1 more problem is not shown') : l10n.t('{0} more problems are not shown', this.dropped);
    return [...this.kept, { range: last.range, severity: 'information', message }];
  }
}
