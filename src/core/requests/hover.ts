import { shownValue } from './expectations';
import { resolveReference, type ResolveContext } from './references';
import { allSpans, type Position, type Range, type Reference, type RequestFile } from './requestFile';

export interface ReferenceHover {
  readonly range: Range;
  /** Plain text (the editor must not read it as Markdown): the reference and its current value. */
  readonly text: string;
  /** Whether the reference has a value now (else `text` says why not). */
  readonly hasValue: boolean;
}

/** The `{{…}}` under a position, if any. */
export function referenceAt(file: RequestFile, position: Position): Reference | undefined {
  const block = blockAtLine(file, position.line);
  if (!block) {
    return undefined;
  }
  for (const span of allSpans(block)) {
    if (position.line < span.range.start.line || position.line > span.range.end.line) {
      continue;
    }
    const found = span.references.find(
      (reference) => reference.range.start.line === position.line && reference.range.start.character <= position.character && position.character <= reference.range.end.character,
    );
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** What hovering a reference shows: its value now, or why it has none yet. */
export function hoverAt(file: RequestFile, position: Position, context: ResolveContext): ReferenceHover | undefined {
  const reference = referenceAt(file, position);
  if (!reference) {
    return undefined;
  }
  const value = resolveReference(reference, context);
  const label = `{{${reference.text.trim()}}}`;
  if (!value.ok) {
    return { range: reference.range, text: `${label}: ${value.problem}`, hasValue: false };
  }
  // A `| json` value is JSON already: shown as the value it stands for, not as a string of JSON.
  const shown = reference.json ? shownValue(JSON.parse(value.value) as unknown) : shownValue(value.value);
  return { range: reference.range, text: `${label} = ${shown}`, hasValue: true };
}

/** The block whose lines hold `line`, by binary search (blocks are in line order). */
export function blockAtLine(file: RequestFile, line: number): RequestFile['blocks'][number] | undefined {
  let low = 0;
  let high = file.blocks.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const block = file.blocks[middle]!;
    if (line < block.range.start.line) {
      high = middle - 1;
    } else if (line > block.range.end.line) {
      low = middle + 1;
    } else {
      return block;
    }
  }
  return undefined;
}
