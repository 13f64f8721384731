/**
 * Pretty JSON of any nesting. `JSON.stringify(value, null, 2)` recurses and throws a RangeError
 * somewhere past a few thousand levels; this lays out the text itself in one loop, so the stack
 * never grows with the input, and it stops at a bound on the output. Indentation stops growing
 * past `MAX_INDENT_LEVELS`, so 20,000 levels do not write 20,000 spaces on each line.
 */
export const MAX_INDENT_LEVELS = 40;

/** Characters that could disguise text (C1 controls, bidirectional marks), written as escapes inside strings. */
const DISGUISING = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` (valid JSON: the caller checks with `JSON.parse`, which is iterative in V8) laid out two
 * spaces a level, each line after the first starting with `prefix`; `undefined` when that would be
 * longer than `maxChars`.
 */
export function indentJson(text: string, maxChars: number, prefix = ''): string | undefined {
  const chunks: string[] = [];
  let length = 0;
  let depth = 0;
  const push = (chunk: string): boolean => {
    chunks.push(chunk);
    length += chunk.length;
    return length <= maxChars;
  };
  const newline = (): boolean => push(`\n${prefix}${'  '.repeat(Math.min(depth, MAX_INDENT_LEVELS))}`);
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    let fits = true;
    switch (char) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      case '{':
      case '[': {
        const close = char === '{' ? '}' : ']';
        const next = skipSpace(text, i + 1);
        if (text[next] === close) {
          fits = push(`${char}${close}`);
          i = next;
        } else {
          depth++;
          fits = push(char) && newline();
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        fits = newline() && push(char);
        break;
      case ',':
        fits = push(',') && newline();
        break;
      case ':':
        fits = push(': ');
        break;
      case '"': {
        const end = stringEnd(text, i);
        fits = push(escapeDisguising(text.slice(i, end)));
        i = end - 1;
        break;
      }
      default: {
        let end = i + 1;
        while (end < text.length && !',:]}" \t\n\r'.includes(text[end] as string)) {
          end++;
        }
        fits = push(text.slice(i, end));
        i = end - 1;
      }
    }
    if (!fits) {
      return undefined;
    }
  }
  return chunks.join('');
}

/** A JSON string literal of `text` that shows disguising characters as escapes. */
export function jsonString(text: string): string {
  return escapeDisguising(JSON.stringify(text));
}

function escapeDisguising(literal: string): string {
  return literal.replace(DISGUISING, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\n\r'.includes(text[i] as string)) {
    i++;
  }
  return i;
}

/** The index just past the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++;
    } else if (char === '"') {
      return i + 1;
    }
  }
  return text.length;
}
