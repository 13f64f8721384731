import type { WireField } from './wireTypes';

/** Backslash (an escape) or a control character: a value JSON.parse would change or refuse. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NOT_VERBATIM = /[\\\u0000-\u001f]/;

/**
 * `FrameDecoder`'s fast path: reads the frame the node's gateway actually sends, without JSON.parse:
 * `{"result":{"id":"…","replyToId":"…","fromPubkey":"…","data":"…","serviceType":"…","amount":"…"}}`,
 * compact, every field present, in field-number order, every value a JSON string. The keys and
 * their order come from the `SubscribeResponse` reflection, so the .proto still decides them.
 *
 * A frame is taken only when every value is verbatim (no escapes, no control characters), so a
 * value read here is exactly what JSON.parse would give; anything else returns `undefined` and
 * goes the general way. Slicing six strings out of the frame costs a fraction of building the
 * object tree that JSON.parse makes and the decoder would throw away.
 */
export class FrameDecoderFastPath {
  private readonly prefix: string;
  private readonly separators: readonly string[];
  private static readonly SUFFIX = '"}}';

  constructor(fields: readonly WireField[]) {
    const keys = [...fields].sort((a, b) => a.id - b.id).map((field) => field.jsonName);
    this.prefix = `{"result":{"${keys[0]}":"`;
    this.separators = keys.slice(1).map((key) => `","${key}":"`);
  }

  /** The raw values in field-number order, or `undefined` when the frame is not canonical. */
  scan(frame: string): string[] | undefined {
    if (!frame.startsWith(this.prefix)) {
      return undefined;
    }
    const values: string[] = [];
    let start = this.prefix.length;
    for (let i = 0; ; i++) {
      const end = frame.indexOf('"', start);
      if (end < 0) {
        return undefined;
      }
      values.push(frame.slice(start, end));
      const separator = this.separators[i];
      if (separator === undefined) {
        return end + FrameDecoderFastPath.SUFFIX.length === frame.length && frame.endsWith(FrameDecoderFastPath.SUFFIX)
          ? values
          : undefined;
      }
      if (!frame.startsWith(separator, end)) {
        return undefined;
      }
      start = end + separator.length;
    }
  }
}

/** True when a scanned value can be taken as it is (see `FrameDecoderFastPath`). */
export function isVerbatim(value: string): boolean {
  return !NOT_VERBATIM.test(value);
}
