import { createHash } from 'node:crypto';
import { DigestSet } from './digest-set';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('DigestSet', () => {
  it('adds a value once', () => {
    const set = new DigestSet();

    expect(set.add(sha256Hex('a'))).toBe(true);
    expect(set.add(sha256Hex('a'))).toBe(false);
    expect(set.size).toBe(1);
  });

  it('keeps every value across growth', () => {
    const set = new DigestSet();
    const values = Array.from({ length: 20_000 }, (_, index) => sha256Hex(`row ${index}`));
    for (const value of values) set.add(value);

    expect(set.size).toBe(20_000);
    expect(values.every((value) => set.has(value))).toBe(true);
    expect(set.has(sha256Hex('row 20000'))).toBe(false);
  });

  it('tells apart values that are not hex digests', () => {
    const set = new DigestSet();
    set.add('patient-1');
    set.add('patient-2');

    expect(set.has('patient-1')).toBe(true);
    expect(set.has('patient-3')).toBe(false);
    expect(set.size).toBe(2);
  });

  it('tells apart digests that share a prefix', () => {
    const set = new DigestSet();
    const digest = sha256Hex('x');
    set.add(digest);
    const lastWordChanged = digest.slice(0, 24) + (digest[24] === '0' ? '1' : '0') + digest.slice(25);

    expect(set.has(lastWordChanged)).toBe(false);
    expect(set.has(digest.toUpperCase())).toBe(false);
  });
});
