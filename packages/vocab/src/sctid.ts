/**
 * SNOMED CT identifiers (SCTIDs): 6 to 18 digits without a leading zero, whose last digit is a
 * Verhoeff check digit and whose two digits before it are the partition identifier. They exceed
 * 2^53, so they are kept as strings.
 */

/** Verhoeff's multiplication table of the dihedral group D5. */
const MULTIPLY = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/** Verhoeff's permutation table: row i permutes the digit i places from the right. */
const PERMUTE = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

const INVERSE = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

const SCTID = /^[1-9]\d{5,17}$/;

/** The kind of component an SCTID names, from the last digit of its partition identifier. */
export type SctidPartition = 'concept' | 'description' | 'relationship';

const PARTITION_DIGITS: Record<SctidPartition, string> = {
  concept: '0',
  description: '1',
  relationship: '2',
};

/**
 * Returns why `id` is not a valid SCTID of the expected partition, or undefined when it is valid.
 * The reason names the rule and never quotes the id.
 */
export function checkSctid(id: string, partition?: SctidPartition): string | undefined {
  if (!SCTID.test(id)) return 'must be an SCTID: 6 to 18 digits, not starting with 0';
  if (!hasValidVerhoeffDigit(id)) return 'fails the SCTID check digit (Verhoeff)';
  if (partition !== undefined && id.charAt(id.length - 2) !== PARTITION_DIGITS[partition]) {
    return `must be a ${partition} id: the second-last digit (the partition) must be ${PARTITION_DIGITS[partition]}`;
  }
  return undefined;
}

/** Returns whether the last digit of a digit string is its Verhoeff check digit. */
export function hasValidVerhoeffDigit(digits: string): boolean {
  let check = 0;
  for (let index = 0; index < digits.length; index++) {
    const digit = digits.charCodeAt(digits.length - 1 - index) - 0x30;
    check = (MULTIPLY[check] as number[])[
      (PERMUTE[index % 8] as number[])[digit] as number
    ] as number;
  }
  return check === 0;
}

/** Returns the Verhoeff check digit to append to a digit string. */
export function verhoeffCheckDigit(digits: string): number {
  let check = 0;
  for (let index = 0; index < digits.length; index++) {
    const digit = digits.charCodeAt(digits.length - 1 - index) - 0x30;
    check = (MULTIPLY[check] as number[])[
      (PERMUTE[(index + 1) % 8] as number[])[digit] as number
    ] as number;
  }
  return INVERSE[check] as number;
}
