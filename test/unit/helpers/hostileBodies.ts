/** Payloads and IDs a hostile peer can send, for the rendering tests and the message fuzzer. */

/** `[[[…1…]]]`, `depth` levels deep: `JSON.parse` takes it, `JSON.stringify` of the value throws. */
export function deepArray(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** `{"a":{"a":…}}`, `depth` levels deep, with a space after each colon so layout matters. */
export function deepObject(depth: number): string {
  return `${'{"a": '.repeat(depth)}"end"${'}'.repeat(depth)}`;
}

/** One line of `bytes` characters of JSON-looking text. */
export function longLine(bytes: number): string {
  return `["${'x'.repeat(Math.max(0, bytes - 4))}"]`;
}

/** Text that starts like JSON and is not. */
export const NOT_QUITE_JSON = ['{"a": 1,}', '[1, 2', '{"a": tru}', '{ "unterminated": "', '[}', '{"\\uZZZZ": 1}'];

/** One character from every Unicode plane that has any, and the specials around surrogates. */
export const EVERY_PLANE = ['A', 'é', '中', '\ufffd', '\u{10000}', '\u{1F600}', '\u{20000}', '\u{30000}', '\u{E0041}', '\u{F0000}', '\u{10FFFD}'].join('');

/** IDs that are structure anywhere they are concatenated raw. */
export const HOSTILE_IDS = ['', ' ', '/', '//', 'a/b', '?', '#', '%', '%2F', '%u', '%uD800', 'a?b=c#d', 'x y', '..', '.', 'm/n/a/leaf', '\ud800', '\udfff', 'a\ud800b', '😀', EVERY_PLANE, '\u202eevil', '\n', 'did:[Fix](command:x)'];
