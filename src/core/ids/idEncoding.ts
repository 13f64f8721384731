/**
 * IDs, node names and other peer text inside tree item IDs and document URIs. Any string is
 * allowed (empty, `/ ? # %`, spaces, any Unicode, lone surrogates), so it is never concatenated
 * raw: it is percent-encoded to letters, digits, `-` and `_`, and decodes back to exactly the
 * same string. `encodeURIComponent` throws on a lone surrogate, so this encodes UTF-8 itself and
 * writes a lone surrogate as `%uD800`.
 */
const KEPT = /[A-Za-z0-9_-]/;
const ALL_KEPT = /^[A-Za-z0-9_-]*$/;
const HEX = '0123456789ABCDEF';

export function encodeId(text: string): string {
  // Nearly every ID is hex: returned as it is, not rebuilt a character at a time (a chain of one
  // string per character, which the Messages view would keep with each item's ID).
  if (ALL_KEPT.test(text)) {
    return text;
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (KEPT.test(char)) {
      out += char;
      continue;
    }
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        out += `%u${code.toString(16).toUpperCase()}`;
        continue;
      }
    }
    for (const byte of utf8Bytes(code)) {
      out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
    }
  }
  return out;
}

/** The string `encodeId` was given, or `undefined` for text it cannot have written. */
export function decodeId(encoded: string): string | undefined {
  let out = '';
  const bytes: number[] = [];
  const flush = (): boolean => {
    if (bytes.length > 0) {
      const text = decodeUtf8(bytes);
      if (text === undefined) {
        return false;
      }
      out += text;
      bytes.length = 0;
    }
    return true;
  };
  for (let i = 0; i < encoded.length; ) {
    const char = encoded[i] as string;
    if (char !== '%') {
      if (!flush() || !KEPT.test(char)) {
        return undefined;
      }
      out += char;
      i++;
      continue;
    }
    const surrogate = /^%u([0-9A-F]{4})/.exec(encoded.slice(i, i + 6));
    if (surrogate) {
      if (!flush()) {
        return undefined;
      }
      out += String.fromCharCode(parseInt(surrogate[1] as string, 16));
      i += 6;
      continue;
    }
    const byte = /^%([0-9A-F]{2})/.exec(encoded.slice(i, i + 3));
    if (!byte) {
      return undefined;
    }
    bytes.push(parseInt(byte[1] as string, 16));
    i += 3;
  }
  return flush() ? out : undefined;
}

function utf8Bytes(code: number): number[] {
  if (code < 0x80) {
    return [code];
  }
  if (code < 0x800) {
    return [0xc0 | (code >> 6), 0x80 | (code & 63)];
  }
  if (code < 0x10000) {
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
  }
  return [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: number[]): string | undefined {
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}
