/**
 * Offsets of the field separators of one segment, found as far as reads need them: reading
 * PID-3 looks at the first three separators only. In MSH, FHS and BHS the separator after the
 * id is MSH-1 itself, so fields start counting after it.
 */
export class FieldSeparators {
  private readonly offsets: number[];
  /** Offset to search for the next separator from; -1 once the end of the text is reached. */
  private searchFrom: number;

  constructor(
    private readonly text: string,
    private readonly separator: string,
    isHeader: boolean,
  ) {
    // In a header, MSH-1 spans offset 3 and MSH-2 starts at 4: two separators at offset 3 give
    // field 2 that start, and field 1 is read from the delimiters instead.
    this.offsets = isHeader ? [3, 3] : [];
    this.searchFrom = isHeader ? 4 : 0;
  }

  /** Return the number of the last field present, which is the number of separators. */
  count(): number {
    this.findUpTo(Number.POSITIVE_INFINITY);
    return this.offsets.length;
  }

  /** Offset where a field starts, or -1 when the segment has fewer fields. */
  fieldStart(field: number): number {
    if (field === 0) return 0;
    if (!this.findUpTo(field)) return -1;
    return (this.offsets[field - 1] ?? 0) + this.separator.length;
  }

  /** Offset where a field that exists ends: its separator, or the end of the text. */
  fieldEnd(field: number): number {
    return this.findUpTo(field + 1) ? (this.offsets[field] ?? 0) : this.text.length;
  }

  /** Find separators until `count` are known; false when the text has fewer. */
  private findUpTo(count: number): boolean {
    while (this.offsets.length < count && this.searchFrom >= 0) {
      const found = this.text.indexOf(this.separator, this.searchFrom);
      if (found < 0) {
        this.searchFrom = -1;
        break;
      }
      this.offsets.push(found);
      // An empty separator would match at every offset, so the search always moves on.
      this.searchFrom = found + Math.max(this.separator.length, 1);
    }
    return this.offsets.length >= count;
  }
}
