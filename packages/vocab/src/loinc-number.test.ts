// Real: the LOINC check digit over generated numbers. Faked: nothing; the worked example is computed by hand.
import fc from 'fast-check';
import { isValidLoincNumber, loincCheckDigit } from './loinc-number';

describe('LOINC check digit', () => {
  it('matches a hand-computed example', () => {
    // 12345: the odd digits from the right, 5, 3 and 1, doubled give 10, 6 and 2, whose digits sum to 9.
    // With the other digits, 4 and 2, the sum is 15, so the check digit is 5.
    expect(loincCheckDigit('12345')).toBe(5);
    expect(isValidLoincNumber('12345-5')).toBe(true);
  });

  it.each([
    { case: 'a wrong check digit', code: '12345-4' },
    { case: 'no hyphen', code: '123455' },
    { case: 'eight digits', code: '12345678-1' },
    { case: 'a letter', code: '1234A-5' },
    { case: 'an empty string', code: '' },
  ])('rejects $case', ({ code }) => {
    expect(isValidLoincNumber(code)).toBe(false);
  });

  it('accepts only the computed digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 0, max: 9 }),
        (serial, digit) => {
          const expected = loincCheckDigit(String(serial));
          expect(isValidLoincNumber(`${serial}-${digit}`)).toBe(digit === expected);
        },
      ),
      { seed: 20250301, numRuns: 500 },
    );
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 9_999_999 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (serial, position, shift) => {
          const digits = String(serial);
          const index = position % digits.length;
          const changed = `${digits.slice(0, index)}${(Number(digits[index]) + shift) % 10}${digits.slice(index + 1)}`;
          expect(isValidLoincNumber(`${changed}-${loincCheckDigit(digits)}`)).toBe(false);
        },
      ),
      { seed: 20250302, numRuns: 500 },
    );
  });
});
