/**
 * Strings that repeat across held messages (senders, service types, node names), each held once
 * and counted, so a message holds a number instead of a string. An entry goes when the last
 * message using it does, so a peer that sends every message from a new sender grows the table
 * no further than the messages held.
 */
export class StringTable {
  private readonly indexes = new Map<string, number>();
  private strings: string[] = [];
  /** Each string's JSON text as UTF-8, made when first asked for (`json`) and dropped with the string. */
  private jsons: (Buffer | undefined)[] = [];
  private counts = new Int32Array(16);
  private readonly free: number[] = [];

  /** Distinct strings held. */
  get size(): number {
    return this.indexes.size;
  }

  /** The index of `text`, counted once more; the table keeps its own copy (see `ownCopy`). */
  add(text: string): number {
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.free.pop() ?? this.strings.length;
      if (index >= this.counts.length) {
        const counts = new Int32Array(this.counts.length * 2);
        counts.set(this.counts);
        this.counts = counts;
      }
      const copy = ownCopy(text);
      this.strings[index] = copy;
      this.indexes.set(copy, index);
    }
    this.counts[index] = (this.counts[index] as number) + 1;
    return index;
  }

  /** Counts one use of an index less, dropping its string after the last. */
  release(index: number): void {
    const count = (this.counts[index] as number) - 1;
    this.counts[index] = count;
    if (count === 0) {
      this.indexes.delete(this.strings[index] as string);
      this.strings[index] = '';
      this.jsons[index] = undefined;
      this.free.push(index);
    }
  }

  /** Counts one more use of an index already held (a message copied to a new place). */
  retain(index: number): void {
    this.counts[index] = (this.counts[index] as number) + 1;
  }

  get(index: number): string {
    return this.strings[index] as string;
  }

  /** `JSON.stringify` of the string at `index`, as UTF-8: written for every journal record of a sender, made once. */
  json(index: number): Buffer {
    let json = this.jsons[index];
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(this.strings[index] as string), 'utf8');
      this.jsons[index] = json;
    }
    return json;
  }
}

/**
 * A string with its own characters. A value a decoder sliced out of a frame is, in V8, a view of
 * the whole frame's text; holding it would hold the frame. Latin-1 text stays one byte a character.
 */
export function ownCopy(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      return Buffer.from(text, 'utf16le').toString('utf16le');
    }
  }
  return Buffer.from(text, 'latin1').toString('latin1');
}
