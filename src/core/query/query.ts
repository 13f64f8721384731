import * as l10n from '@vscode/l10n';
import type { NodeMessage } from '../nodeMessage';
import { labelText } from '../text/safeText';
import type { QueryError } from './queryError';
import { compileQuery, readsClock } from './queryMatcher';
import { MAX_QUERY_LENGTH, parseQueryTerms } from './queryParser';

export type { QueryError } from './queryError';
export { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH } from './queryParser';
export { MAX_CACHED_CONTENT_BYTES, MAX_QUERY_JSON_BYTES } from './messageContent';
export { MAX_QUERY_COMPLETIONS, QUERY_FIELD_COMPLETIONS, queryCompletions, queryValue, type QueryCompletions, type QueryVocabulary } from './queryCompletions';

/**
 * A compiled query (docs/queries.md): the one filter syntax of the Messages view, watches, the
 * Timeline, request files and the command line.
 */
export interface MessageQuery {
  /** The query as written, trimmed. */
  readonly text: string;
  /** A blank query, which matches every message. */
  readonly empty: boolean;
  /** A term counts back from `now` (`after:-15m`), so whether a message matches changes with time. */
  readonly readsClock: boolean;
  /** Never throws; `now` is the moment relative times (`after:-15m`) count back from. */
  matches(message: NodeMessage, now: number): boolean;
}

export type QueryResult = { readonly ok: true; readonly query: MessageQuery } | { readonly ok: false; readonly error: QueryError };

/** Parses and compiles a query once, for any number of matches. Never throws, whatever the text. */
export function parseQuery(text: string): QueryResult {
  const trimmed = text.trim();
  // The length bound holds for blank text too.
  if (trimmed === '' && text.length <= MAX_QUERY_LENGTH) {
    return { ok: true, query: { text: '', empty: true, readsClock: false, matches: () => true } };
  }
  const term = parseQueryTerms(text);
  if ('message' in term) {
    return { ok: false, error: term };
  }
  const test = compileQuery(term);
  return {
    ok: true,
    query: {
      text: trimmed,
      empty: false,
      readsClock: readsClock(term),
      matches(message, now) {
        try {
          return test(message, now);
        } catch {
          // Matching only reads; should an engine limit still be hit on some message, it is no match.
          return false;
        }
      },
    },
  };
}

/** What `waitForMessage` and other programmatic callers reject with: a `SyntaxError` naming the column. */
export class QuerySyntaxError extends SyntaxError {
  readonly position: number;

  constructor(error: QueryError, text: string) {
    super(l10n.t('Query: {0} at column {1} of "{2}"', error.message, error.position + 1, labelText(text, 120)));
    this.name = 'QuerySyntaxError';
    this.position = error.position;
  }
}

/** One line for a validation message: "Column 7: expected …". */
export function describeQueryError(error: QueryError): string {
  return l10n.t('Column {0}: {1}', error.position + 1, error.message);
}
