import { foldCharacter, significantRange, type CodeFolding } from './code-normalization';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * An open-addressing hash table from codes to a fixed number of integers each, for the code
 * index. A lookup folds the code (see `CodeFolding`) while it hashes and compares it, so checking
 * `E11.65` allocates no string, where a `Map` would need the folded string built and hashed for
 * every check. Each code's integers sit next to the start of its characters in one array, so a
 * hit reads three places in memory: its slot, that record and its characters.
 */
export class CodeTable {
  /** The folded characters of every code, one code after another. */
  private readonly characters: Uint16Array;
  /**
   * Per code id, `stride` integers: where its characters start, then its payload. One more record
   * at the end contains where the last code's characters end, so a code's end is the next start.
   */
  readonly records: Int32Array;
  private readonly stride: number;
  /** Per slot: the code id + 1, or 0 for an empty slot. The length is a power of two. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** @param codes folded codes, distinct, each with `payloadWidth` integers. */
  constructor(
    private readonly folding: CodeFolding,
    codes: ReadonlyArray<readonly [code: string, payload: readonly number[]]>,
    payloadWidth: number,
  ) {
    let total = 0;
    for (const [code] of codes) total += code.length;
    this.characters = new Uint16Array(total);
    this.stride = 1 + payloadWidth;
    this.records = new Int32Array((codes.length + 1) * this.stride);

    // At most half full, so that probe runs stay short.
    let capacity = 16;
    while (capacity < codes.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;

    let offset = 0;
    codes.forEach(([code, payload], id) => {
      const record = id * this.stride;
      this.records[record] = offset;
      this.records.set(payload.slice(0, payloadWidth), record + 1);
      let hash = FNV_OFFSET;
      for (let index = 0; index < code.length; index++) {
        const char = code.charCodeAt(index);
        this.characters[offset++] = char;
        hash = Math.imul(hash ^ char, FNV_PRIME);
      }
      let slot = mixBits(hash) & this.mask;
      while ((this.slots[slot] as number) !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    });
    this.records[codes.length * this.stride] = offset;
  }

  /** Number of codes. */
  get size(): number {
    return this.records.length / this.stride - 1;
  }

  /**
   * Returns where the payload of a code starts in `records`, or -1 when the table does not have
   * the code. The code may be written in any form its folding maps to a stored code.
   */
  find(code: string): number {
    const folding = this.folding;
    const { start, end } = significantRange(folding, code);
    let hash = FNV_OFFSET;
    let length = 0;
    for (let index = start; index < end; index++) {
      const char = foldCharacter(folding, code.charCodeAt(index));
      if (char === -1) continue;
      hash = Math.imul(hash ^ char, FNV_PRIME);
      length++;
    }

    for (let slot = mixBits(hash) & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = (this.slots[slot] as number) - 1;
      if (id < 0) return -1;
      const record = id * this.stride;
      if (this.matches(record, code, start, end, length)) return record + 1;
    }
  }

  private matches(
    record: number,
    code: string,
    start: number,
    end: number,
    length: number,
  ): boolean {
    let stored = this.records[record] as number;
    if ((this.records[record + this.stride] as number) - stored !== length) return false;
    for (let index = start; index < end; index++) {
      const char = foldCharacter(this.folding, code.charCodeAt(index));
      if (char === -1) continue;
      if (char !== this.characters[stored++]) return false;
    }
    return true;
  }
}

/**
 * Spreads every bit of an FNV-1a hash over the low bits, which pick the slot. FNV-1a alone
 * leaves the low bits weak, because a multiplication carries information only upwards, so codes
 * of digits crowd into a few slots. This is MurmurHash3's 32-bit finalizer.
 */
function mixBits(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}
