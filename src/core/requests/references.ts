import * as l10n from '@vscode/l10n';
import type { NodeMessage } from '../nodeMessage';
import { formatJsonPath, jsonText, lookupJsonPath, MAX_JSON_DEPTH, parseJsonPath, replyJson } from './jsonPath';
import {
  allSpans,
  lineRange,
  type FileVariable,
  type Reference,
  type ReferenceTarget,
  type RequestFile,
  type RequestProblem,
  type TextSpan,
} from './requestFile';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * A reply's data larger than this is not kept for references (its ID and sender are): a send
 * carries at most 480,000 bytes, and results are held until cleared.
 */
export const MAX_KEPT_REPLY_BYTES = 512 * 1024;
/** Long enough for any real reference; a longer one is shown cut in messages. */
const SHOWN_REFERENCE_CHARS = 80;

/** What a block left behind in this window, for its references. */
export interface BlockOutcome {
  readonly id: string;
  readonly reply: NodeMessage | undefined;
  /**
   * The size in bytes of a reply's data that was larger than request results keep; its `data` is
   * then empty, and references to the data or its JSON say so rather than use a part of it.
   */
  readonly replyBytesDropped?: number;
}

export interface ResolveContext {
  readonly variables: ReadonlyMap<string, FileVariable>;
  /** Outcomes of named blocks, by name. */
  readonly outcomes: ReadonlyMap<string, BlockOutcome>;
}

export interface Resolved {
  readonly text: string;
  /** One line per reference that could not be resolved; empty when all were. */
  readonly failures: string[];
}

/**
 * Finds the `{{…}}` in one line. Linear in the line's length: after a `{{` with no `}}` the rest of
 * the line cannot hold a reference, so the scan stops with one problem.
 */
export function scanReferences(text: string, line: number, spanOffset: number, references: Reference[], problems: RequestProblem[]): void {
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) {
      return;
    }
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push({ range: lineRange(line, open, text.length), severity: 'error', message: l10n.t('"{{" without a closing "}}"') });
      return;
    }
    const inner = text.slice(open + 2, close);
    const { expression, format } = splitFormat(inner);
    const target = format === undefined || format === 'json' ? parseReferenceText(expression) : undefined;
    const range = lineRange(line, open, close + 2);
    if (format !== undefined && format !== 'json') {
      problems.push({ range, severity: 'error', message: l10n.t('Unknown format "| {0}" in {1}: the one format is "| json"', shown(format), `{{${shown(inner)}}}`) });
    } else if (!target) {
      // The reference goes in whole: `{{{0}}}` would not be a placeholder to l10n's formatter.
      const message = l10n.t('Not a reference: {0} (expected {{variable}}, {{block.id}}, {{block.reply.id|data|from}} or {{block.reply.json.path}})', `{{${shown(inner)}}}`);
      problems.push({ range, severity: 'error', message });
    }
    references.push({ text: inner, target, json: format === 'json', offset: spanOffset + open, length: close + 2 - open, range });
    from = close + 2;
  }
}

/** `ref | format` → its parts; `format` is `undefined` without a `|`. */
export function splitFormat(inner: string): { readonly expression: string; readonly format: string | undefined } {
  const bar = inner.indexOf('|');
  return bar < 0 ? { expression: inner, format: undefined } : { expression: inner.slice(0, bar), format: inner.slice(bar + 1).trim() };
}

/** `name`, `block.id`, `block.reply.id|data|from`, `block.reply.json.PATH`; spaces around are allowed. */
export function parseReferenceText(inner: string): ReferenceTarget | undefined {
  const text = inner.trim();
  const firstDot = text.indexOf('.');
  const head = firstDot < 0 ? text : text.slice(0, firstDot);
  if (!NAME.test(head)) {
    return undefined;
  }
  if (firstDot < 0) {
    return { kind: 'variable', name: head };
  }
  const rest = text.slice(firstDot + 1);
  if (rest === 'id') {
    return { kind: 'id', block: head };
  }
  if (rest === 'reply.id' || rest === 'reply.data' || rest === 'reply.from') {
    return { kind: 'reply', block: head, field: rest.slice('reply.'.length) as 'id' | 'data' | 'from' };
  }
  if (rest.startsWith('reply.json.')) {
    const path = parseJsonPath(rest.slice('reply.json.'.length));
    return path ? { kind: 'json', block: head, path } : undefined;
  }
  return undefined;
}

/** The block a reference needs a result from, if any. */
export function referencedBlock(target: ReferenceTarget): string | undefined {
  return target.kind === 'variable' ? undefined : target.block;
}

/** Whether a reference needs the block's reply (not just its ID). */
export function needsReply(target: ReferenceTarget): boolean {
  return target.kind === 'reply' || target.kind === 'json';
}

/** Problems for references to variables or blocks the file does not have. */
export function checkReferences(file: RequestFile): RequestProblem[] {
  const names = new Set(file.blocks.flatMap((block) => (block.name !== undefined ? [block.name] : [])));
  const problems: RequestProblem[] = [];
  for (const block of file.blocks) {
    for (const span of allSpans(block)) {
      for (const reference of span.references) {
        const target = reference.target;
        if (target?.kind === 'variable' && !file.variables.has(target.name)) {
          problems.push({ range: reference.range, severity: 'error', message: l10n.t('Unknown variable "{0}"', shown(target.name)) });
        } else if (target && target.kind !== 'variable' && !names.has(target.block)) {
          problems.push({ range: reference.range, severity: 'error', message: l10n.t('No block is named "{0}" (name one with "# @name {0}")', shown(target.block)) });
        }
      }
    }
  }
  return problems;
}

/**
 * Substitutes every reference in one pass over the span's text. A substituted value is data: it is
 * copied, never scanned again, so a value holding `{{y}}` stays `{{y}}`.
 */
export function resolveSpan(span: TextSpan, context: ResolveContext): Resolved {
  const failures: string[] = [];
  let text = '';
  let from = 0;
  for (const reference of span.references) {
    text += span.text.slice(from, reference.offset);
    const value = resolveReference(reference, context);
    if (value.ok) {
      text += value.value;
    } else {
      failures.push(`{{${shown(reference.text)}}}: ${value.problem}`);
      text += span.text.slice(reference.offset, reference.offset + reference.length);
    }
    from = reference.offset + reference.length;
  }
  text += span.text.slice(from);
  return { text, failures };
}

export type ReferenceValue = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string };

export function resolveReference(reference: Reference, context: ResolveContext): ReferenceValue {
  const target = reference.target;
  if (!target) {
    return { ok: false, problem: l10n.t('not a reference') };
  }
  // `| json`: a string goes in as a JSON string literal, so its quotes cannot end the one around it.
  const text = (value: string): ReferenceValue => ({ ok: true, value: reference.json ? JSON.stringify(value) : value });
  if (target.kind === 'variable') {
    const variable = context.variables.get(target.name);
    return variable ? text(variable.value) : { ok: false, problem: l10n.t('unknown variable') };
  }
  const outcome = context.outcomes.get(target.block);
  if (!outcome) {
    return { ok: false, problem: l10n.t('{0} has no result in this window yet', target.block) };
  }
  if (target.kind === 'id') {
    return text(outcome.id);
  }
  const reply = outcome.reply;
  if (!reply) {
    return { ok: false, problem: l10n.t('{0} has no reply', target.block) };
  }
  if (target.kind === 'reply' && target.field !== 'data') {
    return text(target.field === 'id' ? reply.id : reply.fromPubkey);
  }
  if (outcome.replyBytesDropped !== undefined) {
    return {
      ok: false,
      problem: l10n.t('the reply of {0} was {1} bytes, more than the {2} kept for references; run {0} again or reference a smaller reply', target.block, outcome.replyBytesDropped.toLocaleString('en-US'), MAX_KEPT_REPLY_BYTES.toLocaleString('en-US')),
    };
  }
  if (target.kind === 'reply') {
    return text(Buffer.from(reply.data).toString('utf8'));
  }
  const json = replyJson(reply);
  if (!json.ok) {
    return { ok: false, problem: l10n.t('the reply of {0} is not JSON', target.block) };
  }
  const found = lookupJsonPath(json.value, target.path);
  if (!found.found) {
    return { ok: false, problem: l10n.t('the reply of {0} has no {1}', target.block, found.missing) };
  }
  // Without `| json`, strings go in as they are and anything else as its JSON text, so `{{a.reply.json.n}}` gives `42`.
  if (typeof found.value === 'string' && !reference.json) {
    return { ok: true, value: found.value };
  }
  const written = jsonText(found.value);
  return written !== undefined
    ? { ok: true, value: written }
    : { ok: false, problem: l10n.t('{0} in the reply of {1} is nested more than {2} levels deep', formatJsonPath(target.path), target.block, MAX_JSON_DEPTH) };
}

/** A piece of hostile or huge text, cut and escaped for a one-line message. */
export function shown(text: string): string {
  const cut = text.length > SHOWN_REFERENCE_CHARS ? `${text.slice(0, SHOWN_REFERENCE_CHARS)}…` : text;
  return oneLine(JSON.stringify(cut).slice(1, -1));
}

/** JSON leaves the line and paragraph separators raw; an editor or log would break the line there. */
export function oneLine(json: string): string {
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
