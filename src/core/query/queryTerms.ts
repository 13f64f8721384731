import type { JsonPathStep } from '../requests/jsonPath';

/** A JSON value a `json.PATH=` term compares with: scalars only. */
export type JsonScalar = string | number | boolean | null;

export type AmountOperator = '>' | '>=' | '<' | '<=' | '=';

/** A time bound: an instant, or a span before the moment the query is matched. */
export type TimeBound = { readonly kind: 'at'; readonly ms: number } | { readonly kind: 'ago'; readonly ms: number };

/**
 * A parsed query as a tree. Text is already lower-cased where the match ignores case, so matching
 * lower-cases only the message's side.
 */
export type QueryTerm =
  | { readonly kind: 'and'; readonly terms: readonly QueryTerm[] }
  | { readonly kind: 'or'; readonly terms: readonly QueryTerm[] }
  | { readonly kind: 'not'; readonly term: QueryTerm }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'from' | 'id' | 'reply'; readonly prefix: string }
  | { readonly kind: 'type' | 'node'; readonly value: string }
  | { readonly kind: 'is'; readonly what: 'reply' | 'root' | 'json' }
  | { readonly kind: 'amount'; readonly operator: AmountOperator; readonly value: bigint }
  | { readonly kind: 'after' | 'before'; readonly bound: TimeBound }
  | { readonly kind: 'jsonEquals'; readonly path: readonly JsonPathStep[]; readonly value: JsonScalar }
  | { readonly kind: 'jsonContains'; readonly path: readonly JsonPathStep[]; readonly text: string };

/** Fields written `name:value`. */
export const COLON_FIELDS = ['from', 'type', 'node', 'id', 'reply', 'is', 'after', 'before'] as const;
export type ColonField = (typeof COLON_FIELDS)[number];

export const IS_VALUES = ['reply', 'root', 'json'] as const;
