/** A span of a text, start inclusive and end exclusive. */
export interface PartRange {
  start: number;
  end: number;
}

/**
 * Narrow `range` to its 1-based `number`th part, the one `text.slice(start, end).split(separator)`
 * would return, without building the others. Returns false when there is no such part, and the
 * range is then left unspecified.
 */
export function findPart(
  text: string,
  range: PartRange,
  separator: string,
  number: number,
): boolean {
  if (!Number.isInteger(number) || number < 1) return false;
  let start = range.start;
  for (let part = 1; part < number; part++) {
    const found = text.indexOf(separator, start);
    if (found < 0 || found + separator.length > range.end) return false;
    start = found + separator.length;
  }
  const found = text.indexOf(separator, start);
  if (found >= 0 && found + separator.length <= range.end) range.end = found;
  range.start = start;
  return true;
}

/** Count the parts `text.split(separator)` would return, without building them. */
export function countParts(text: string, separator: string): number {
  let count = 1;
  for (
    let found = text.indexOf(separator);
    found >= 0;
    found = text.indexOf(separator, found + separator.length)
  ) {
    count += 1;
  }
  return count;
}
