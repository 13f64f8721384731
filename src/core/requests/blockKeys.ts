import { displayName, type RequestBlock, type RequestFile } from './requestFile';

/**
 * A key per block, unique within its file: the block's result name, and from the second block of
 * the same name on, its place among them. Duplicate names are a problem the file shows; the keys
 * keep two such blocks apart anyway, so a test or a lens never stands for the other one.
 */
export function blockKeys(file: RequestFile): string[] {
  const used = new Set<string>();
  const counts = new Map<string, number>();
  return file.blocks.map((block) => {
    // VS Code separates test ID parts with NUL: a title holding one must not break the Test Explorer.
    const base = displayName(block).replace(/\0/g, '\ufffd');
    // A title is one line, so `x\n2` is no other block's name.
    let count = counts.get(base) ?? 1;
    let key = count === 1 ? base : `${base}\n${count}`;
    while (used.has(key)) {
      count++;
      key = `${base}\n${count}`;
    }
    counts.set(base, count);
    used.add(key);
    return key;
  });
}

/**
 * What a CodeLens remembers of the block it was made for: its key and its SEND line as written.
 * A lens clicked after an edit moved another block to its place finds a different fingerprint there.
 */
export function blockFingerprint(key: string, block: RequestBlock): string {
  return `${key}\n${block.pubkey?.text ?? ''}`;
}
