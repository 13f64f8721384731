/** The shape of a parsed `.imp` request file: what the parser produces and the runner, checks and editor read. */

import type { MessageQuery } from '../query/query';
import type { JsonPathStep } from './jsonPath';

/** Zero-based, in UTF-16 code units like VS Code's positions. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type ProblemSeverity = 'error' | 'warning' | 'information';

export interface RequestProblem {
  readonly range: Range;
  readonly severity: ProblemSeverity;
  readonly message: string;
}

/** What a `{{…}}` names. */
export type ReferenceTarget =
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'id'; readonly block: string }
  | { readonly kind: 'reply'; readonly block: string; readonly field: 'id' | 'data' | 'from' }
  | { readonly kind: 'json'; readonly block: string; readonly path: readonly JsonPathStep[] };

export type { JsonPathStep };

export interface Reference {
  /** The text between the braces, as written. */
  readonly text: string;
  /** `undefined` when the text is not a reference the grammar knows (a problem says so). */
  readonly target: ReferenceTarget | undefined;
  /** Written `{{… | json}}`: the value goes in as a JSON value (a string with its quotes and escapes). */
  readonly json: boolean;
  /** Where `{{…}}` starts in the span's text, and its length with the braces. */
  readonly offset: number;
  readonly length: number;
  readonly range: Range;
}

/** A piece of the file that substitution applies to (pubkey, header value, body). */
export interface TextSpan {
  readonly text: string;
  readonly range: Range;
  readonly references: readonly Reference[];
}

export interface FileVariable {
  readonly name: string;
  /** Taken literally: a `{{` in a variable's value is data, never expanded. */
  readonly value: string;
  readonly range: Range;
  readonly nameRange: Range;
}

export type HeaderName = 'Amount' | 'Node' | 'Reply-To';

export interface RequestHeader {
  readonly name: HeaderName;
  readonly value: TextSpan;
  readonly range: Range;
}

export type Assertion =
  | { readonly kind: 'replyWithin'; readonly ms: number }
  | { readonly kind: 'noReplyWithin'; readonly ms: number }
  | { readonly kind: 'dataContains'; readonly value: string }
  | { readonly kind: 'dataEquals'; readonly value: string }
  | { readonly kind: 'json'; readonly path: readonly JsonPathStep[]; readonly pathText: string; readonly operator: '==' | '!='; readonly value: unknown }
  | { readonly kind: 'fromEquals'; readonly pubkey: TextSpan }
  | { readonly kind: 'amount'; readonly operator: '>=' | '=='; readonly value: bigint }
  /** Any message (a reply or not) that matches the query, arriving within `ms` of the send. */
  | { readonly kind: 'messageMatching'; readonly query: MessageQuery; readonly ms: number };

export interface Expectation {
  readonly assertion: Assertion;
  /** The assertion as written after `> expect `. */
  readonly text: string;
  readonly range: Range;
}

export interface RequestBlock {
  /** Zero-based position among the file's blocks. */
  readonly index: number;
  /** The text after `###`, trimmed (may be empty). */
  readonly title: string;
  /** The `@name`, or `undefined`: an unnamed block cannot be referenced. */
  readonly name: string | undefined;
  readonly nameRange: Range | undefined;
  readonly timeoutMs: number | undefined;
  /** From the `###` line to the block's last line. */
  readonly range: Range;
  /** The `SEND` line, or `undefined` when the block has none (a problem says so). */
  readonly sendRange: Range | undefined;
  readonly pubkey: TextSpan | undefined;
  readonly headers: readonly RequestHeader[];
  /** The line after which the body starts (the blank line after the headers), if any. */
  readonly headersEndLine: number | undefined;
  readonly body: TextSpan | undefined;
  readonly expectations: readonly Expectation[];
}

export interface RequestFile {
  readonly variables: ReadonlyMap<string, FileVariable>;
  readonly blocks: readonly RequestBlock[];
  readonly problems: readonly RequestProblem[];
  readonly lineCount: number;
}

/** What a block's result is called in results and progress: its `@name`, else its title, else `#<n>` (1-based). */
export function displayName(block: RequestBlock): string {
  return block.name ?? (block.title !== '' ? block.title : `#${block.index + 1}`);
}

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

export function allSpans(block: RequestBlock): TextSpan[] {
  const spans: TextSpan[] = [];
  if (block.pubkey) {
    spans.push(block.pubkey);
  }
  block.headers.forEach((header) => spans.push(header.value));
  if (block.body) {
    spans.push(block.body);
  }
  for (const expectation of block.expectations) {
    if (expectation.assertion.kind === 'fromEquals') {
      spans.push(expectation.assertion.pubkey);
    }
  }
  return spans;
}
