import { createHash } from 'node:crypto';

/** Words of 32 bits kept per value: the first 128 bits of its SHA-256. */
const WORDS = 4;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const MAX_LOAD = 0.75;

/**
 * A set of strings kept as the first 128 bits of their SHA-256, in typed arrays outside the
 * JavaScript heap. A table's dedupe hashes reach tens of millions at scale. As a `Set<string>`
 * they took about 100 bytes of heap each (measured over 2.7 million `record_hash` values), and
 * here they take 17 to 45 bytes. A value that is already a lowercase hex SHA-256, such as
 * `record_hash`, is used as it is. Two values share an entry only when their digests agree in
 * 128 bits: for a billion values the chance is below 10^-20.
 *
 * NOTE: a value and the lowercase hex SHA-256 of that same value share an entry. A `dedupeBy`
 * column that mixes both kinds would drop one of them; `record_hash` holds only digests.
 */
export class DigestSet {
  private words: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;
  private readonly probe = new Uint32Array(WORDS);

  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.words = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  has(value: string): boolean {
    digestOf(value, this.probe);
    return this.used[this.slotOf(this.probe)] === 1;
  }

  /** Adds a value. Returns false when the set already contained it. */
  add(value: string): boolean {
    digestOf(value, this.probe);
    const slot = this.slotOf(this.probe);
    if (this.used[slot] === 1) return false;

    this.used[slot] = 1;
    this.words.set(this.probe, slot * WORDS);
    this.count++;
    if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  /** Returns the slot that contains the digest, or the empty slot where it belongs (linear probing). */
  private slotOf(digest: Uint32Array): number {
    let slot = (digest[0] as number) & this.mask;
    while (this.used[slot] === 1 && !this.matches(slot, digest)) slot = (slot + 1) & this.mask;
    return slot;
  }

  private matches(slot: number, digest: Uint32Array): boolean {
    const base = slot * WORDS;
    for (let word = 0; word < WORDS; word++) {
      if (this.words[base + word] !== digest[word]) return false;
    }
    return true;
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    const capacity = oldUsed.length * 2;
    this.words = new Uint32Array(capacity * WORDS);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;

    const digest = new Uint32Array(WORDS);
    for (let slot = 0; slot < oldUsed.length; slot++) {
      if (oldUsed[slot] !== 1) continue;
      digest.set(oldWords.subarray(slot * WORDS, slot * WORDS + WORDS));
      const target = this.slotOf(digest);
      this.used[target] = 1;
      this.words.set(digest, target * WORDS);
    }
  }
}

/** Writes the first 128 bits of a value's SHA-256 into `out`. */
function digestOf(value: string, out: Uint32Array): void {
  if (HEX_SHA256.test(value)) {
    for (let word = 0; word < WORDS; word++) out[word] = Number.parseInt(value.slice(word * 8, word * 8 + 8), 16);
    return;
  }
  const digest = createHash('sha256').update(value).digest();
  for (let word = 0; word < WORDS; word++) out[word] = digest.readUInt32BE(word * 4);
}
