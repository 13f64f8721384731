import { cleanText } from '../text/safeText';

/**
 * Message IDs as they appear in text the developer works with: source files, logs, curl output in a
 * terminal. A token is a run of `[A-Za-z0-9_.:-]`; anything else (quotes, spaces, `=`, `/`, any
 * non-ASCII character) ends it. `.`, `:` and `-` at either end are punctuation, not ID: node IDs
 * (hex, UUIDs) begin and end with a letter or digit, and "see 6f1c….", "id: 6f1c…:" must still
 * match exactly. Lookups are by exact match, so a token only matters when it is a held or watched
 * ID; the tokenizer just has to find it cheaply and never be fooled into long work.
 *
 * A peer chooses its own message IDs, so being held proves nothing about a word: a message whose ID
 * is `localhost` would otherwise claim that word in every editor and terminal. Hence one rule for
 * every token (`isIdInText`): a node's exact ID shape, or a letter and a digit together.
 *
 * Every scan is a plain loop over char codes (no regex over the line), so work is linear in the line
 * and a lookup at one position touches at most a few hundred characters of it.
 */

export const MIN_ID_LENGTH = 8;
export const MAX_ID_LENGTH = 128;
/** Edge punctuation a run may carry beyond an ID's length ("…6f1c...", "6f1c:"); a longer run is no ID. */
const EDGE_SLACK = 8;
const MAX_RUN_LENGTH = MAX_ID_LENGTH + EDGE_SLACK;

export interface IdToken {
  /** UTF-16 offsets in the line: `text === line.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The ID-shaped token at (or just after, as a cursor sits) `character`, or `undefined`. A run longer
 * than an ID can be is no ID at all: a window cut out of it would be a guess, not an exact match.
 */
export function idTokenAt(lineText: string, character: number): IdToken | undefined {
  if (!Number.isInteger(character) || character < 0 || character > lineText.length) {
    return undefined;
  }
  let start = character;
  while (start > 0 && isTokenCode(lineText.charCodeAt(start - 1))) {
    start--;
    if (character - start > MAX_RUN_LENGTH) {
      return undefined;
    }
  }
  let end = character;
  while (end < lineText.length && isTokenCode(lineText.charCodeAt(end))) {
    end++;
    if (end - start > MAX_RUN_LENGTH) {
      return undefined;
    }
  }
  const token = trimmedToken(lineText, start, end);
  // A cursor sits between characters: just after the ID (or on its closing ".") still means the ID.
  return token && character >= token.start && character <= token.end ? token : undefined;
}

/**
 * Every ID-shaped token in a line, left to right, that `accept` takes (all of them when absent),
 * at most `maxTokens`. A terminal line full of words costs one pass and no more than `maxTokens` results.
 */
export function idTokensIn(lineText: string, accept: (text: string) => boolean = () => true, maxTokens = 100): IdToken[] {
  const tokens: IdToken[] = [];
  let index = 0;
  while (index < lineText.length && tokens.length < maxTokens) {
    if (!isTokenCode(lineText.charCodeAt(index))) {
      index++;
      continue;
    }
    const start = index;
    while (index < lineText.length && isTokenCode(lineText.charCodeAt(index))) {
      index++;
    }
    if (index - start <= MAX_RUN_LENGTH) {
      const token = trimmedToken(lineText, start, index);
      if (token && accept(token.text)) {
        tokens.push(token);
      }
    }
  }
  return tokens;
}

/**
 * The ID a "watch the ID at the cursor" means: the selection when there is one, else the ID-shaped
 * token at the cursor. A selection is the user's own choice, so any text counts, trimmed of spaces
 * and of the quotes it was copied with, as long as it is one line no longer than an ID can be and
 * hides nothing (no control or bidi characters: such a "selection" came from a hostile file).
 */
export function idAtCursor(lineText: string, character: number, selection = ''): string | undefined {
  if (selection.length > MAX_RUN_LENGTH) {
    return undefined;
  }
  const trimmed = selection.trim();
  if (trimmed === '') {
    return idTokenAt(lineText, character)?.text;
  }
  const quote = trimmed[0];
  const text = trimmed.length >= 2 && (quote === '"' || quote === "'") && trimmed.endsWith(quote) ? trimmed.slice(1, -1).trim() : trimmed;
  return text !== '' && text.length <= MAX_ID_LENGTH && !/[\r\n\u2028\u2029]/.test(text) && cleanText(text) === text ? text : undefined;
}

/**
 * The exact shape of an ID a node hands out, for text where nothing else says it is one (a terminal):
 * 64 hex digits (v0.1.x nodes; the simulator's IDs too) or an 8-4-4-4-12 hex UUID (v1 nodes, whose
 * IDs are DIDComm message ids). Not a 66-digit pubkey, a 40-digit commit hash, or any prose.
 */
export function looksLikeNodeMessageId(text: string): boolean {
  return text.length <= 64 && (/^[0-9a-f]{64}$/i.test(text) || /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(text));
}

/**
 * Whether text may be matched as a message ID where it stands in a file or a terminal: a whole token
 * (8 to 128 of `[A-Za-z0-9_.:-]`, no edge punctuation) that is a node's exact ID shape or has at least
 * one ASCII letter and one digit. Node IDs are random hex or UUIDs, and IDs people make up carry a
 * number ("order-7731"); what the rule leaves out is what text is full of and a peer could claim:
 * words and identifiers (`undefined`, `constructor`, `__proto__`), numbers, dates, times, addresses.
 */
export function isIdInText(text: string): boolean {
  return idTokenAt(text, 0)?.text === text;
}

function trimmedToken(lineText: string, start: number, end: number): IdToken | undefined {
  while (start < end && isEdgePunctuation(lineText.charCodeAt(start))) {
    start++;
  }
  while (end > start && isEdgePunctuation(lineText.charCodeAt(end - 1))) {
    end--;
  }
  const length = end - start;
  if (length < MIN_ID_LENGTH || length > MAX_ID_LENGTH) {
    return undefined;
  }
  const text = lineText.slice(start, end);
  return hasLetterAndDigit(text) || looksLikeNodeMessageId(text) ? { start, end, text } : undefined;
}

/** Reads the token's own copy, not the line: a lookup still reads a bounded part of the line once. */
function hasLetterAndDigit(text: string): boolean {
  let letter = false;
  let digit = false;
  for (let index = 0; index < text.length && !(letter && digit); index++) {
    const code = text.charCodeAt(index);
    digit ||= code >= 0x30 && code <= 0x39;
    letter ||= (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  }
  return letter && digit;
}

function isTokenCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x3a || // :
    code === 0x2d // -
  );
}

function isEdgePunctuation(code: number): boolean {
  return code === 0x2e || code === 0x3a || code === 0x2d;
}
