// How peer and node text is made safe for each kind of surface VS Code shows it on. Every byte a
// peer or a node sends is hostile: on no surface may it become a link, a command, an icon,
// Markdown or HTML structure, a forged log line, or a wall of text. Each function here takes text
// of any length (a 4 MiB body included) and costs at most a bounded slice of it.

/** Peer-supplied text is cut to this many characters before it is shown anywhere. */
export const MAX_SHOWN_TEXT = 10_000;

/** What a surface reads of a text before cleaning it, so that a huge body costs a slice, not a scan. */
const READ_AHEAD = 4;

/**
 * A notification's text (information, warning, error, modal): one line, bounded. VS Code renders
 * `[label](https:…)`, `[label](command:…)` and `[label](file:…)` in notification text as links;
 * every `](` is broken with a zero-width space, which VS Code's link parser does not skip.
 */
export function notificationText(text: string, maxLength = 300): string {
  return oneLine(text, maxLength).replace(/\]\s*\(/g, ']\u200b(');
}

/**
 * Text for a `MarkdownString` (hovers, tooltips): one line, bounded, with every character that can
 * start Markdown or HTML structure escaped, so it renders as the characters themselves: no link,
 * no `command:`, no heading, no emphasis, no code span, no HTML, no entity.
 */
export function markdownText(text: string, maxLength = 300): string {
  return escapeMarkdown(oneLine(text, maxLength));
}

/** Escapes text that is already one line and bounded (see `markdownText`). */
export function escapeMarkdown(text: string): string {
  return cleanText(wellFormed(text)).replace(/[\\`*_{}[\]()<>#+\-.!|~&"':$=^]/g, (char) => `\\${char}`);
}

/** A tree item's label or description, or a plain-text tooltip line: one line, bounded. */
export function labelText(text: string, maxLength = 80): string {
  return oneLine(text, maxLength);
}

/**
 * Text for surfaces that render `$(icon)` syntax: quick-pick labels, descriptions and details,
 * input-box titles and prompts, status-bar text. One line, bounded, `$(` escaped as VS Code reads it.
 */
export function promptText(text: string, maxLength = 120): string {
  return oneLine(text, maxLength).replace(/\$\(/g, '\\$(');
}

/**
 * One line of the log. A log line from peer or node text stays one line: CR, LF, U+2028, U+2029,
 * other control characters and bidirectional overrides show as visible escapes (`\n`, `\u202e`)
 * rather than breaking or reordering the line, so no peer can forge a line of its own.
 */
export function logText(text: string, maxLength = 500): string {
  const head = wellFormed(text.length > maxLength ? text.slice(0, maxLength + 1) : text);
  // eslint-disable-next-line no-control-regex
  const escaped = head.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, escapeChar);
  return truncate(escaped, maxLength);
}

function escapeChar(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** Cleaned, whitespace folded to single spaces, cut to `maxLength` without splitting a character. */
function oneLine(text: string, maxLength: number): string {
  const head = text.length > maxLength * READ_AHEAD ? text.slice(0, maxLength * READ_AHEAD) : text;
  const line = cleanText(wellFormed(head)).replace(/\s+/g, ' ').trim();
  return cut(line, maxLength);
}

/** `truncate`, but never leaving half of a surrogate pair at the end. */
function cut(text: string, maxLength: number): string {
  if (text.length <= maxLength) {
    return text;
  }
  let end = Math.max(0, maxLength - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    end--;
  }
  return `${text.slice(0, end)}…`;
}

/** Lone surrogates (which no font draws and some encoders reject) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Text safe for a label: no control or bidirectional-override characters, one line, bounded. */
export function singleLine(text: string): string {
  return cleanText(text.slice(0, MAX_SHOWN_TEXT)).replace(/\s+/g, ' ').trim();
}

/**
 * Removes characters that could disguise text: C0/C1 controls (but tab and newlines) and the
 * bidirectional embedding, override and isolate characters.
 */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}
