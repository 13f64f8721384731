/**
 * Text from a range of a Buffer's bytes (and base64 into one) through Node's own method for that
 * encoding, which `Buffer#toString(encoding, start, end)` and `Buffer#write` reach only after
 * normalising their arguments and looking the encoding up: a message's IDs are read this way for
 * every message event. The ranges given here are always within the buffer.
 */
interface BufferSlicers {
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
  base64Write(text: string, at: number, length: number): number;
  base64Slice(start: number, end: number): string;
  latin1Write(text: string, at: number, length: number): number;
}

/** The bytes `buffer[start, end)` as Latin-1 text (one character a byte). */
export function latin1Text(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as BufferSlicers).latin1Slice(start, end);
}

/** The bytes `buffer[start, end)` as lowercase hex (two digits a byte). */
export function hexText(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as BufferSlicers).hexSlice(start, end);
}

/** The bytes `buffer[start, end)` as UTF-16LE code units. */
export function utf16Text(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as BufferSlicers).ucs2Slice(start, end);
}

/** Decodes base64 `text` into `buffer` at `at`, at most `length` bytes; returns how many it wrote. */
export function writeBase64(buffer: Buffer, text: string, at: number, length: number): number {
  return (buffer as unknown as BufferSlicers).base64Write(text, at, length);
}

/** The bytes `buffer[start, end)` as standard base64 (padded). */
export function base64Text(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as BufferSlicers).base64Slice(start, end);
}

/** Writes `text`, one byte a character (its code units below 256), into `buffer` at `at`; returns how many bytes it wrote. */
export function writeLatin1(buffer: Buffer, text: string, at: number): number {
  return (buffer as unknown as BufferSlicers).latin1Write(text, at, text.length);
}
