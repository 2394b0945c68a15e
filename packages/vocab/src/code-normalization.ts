import type { CodeSystem } from './code-record';

/**
 * Rules for comparing the codes of a system. Surrounding spaces and control characters never
 * count. The code index applies the folding character by character, without building a string.
 */
export interface CodeFolding {
  /** Drop every ".": ICD-10 codes are written with and without the dot after the third character. */
  dropDots: boolean;
  /** Compare a-z as A-Z: ICD-10 and LOINC codes are upper case, but data may write them in lower case. */
  upperCase: boolean;
  /** Ignore leading zeros: CVX code 8 is written `08` or `8`. A code of zeros only keeps one. */
  stripLeadingZeros: boolean;
}

const ICD10_FOLDING: CodeFolding = { dropDots: true, upperCase: true, stripLeadingZeros: false };
const LOINC_FOLDING: CodeFolding = { dropDots: false, upperCase: true, stripLeadingZeros: false };
const CVX_FOLDING: CodeFolding = { dropDots: false, upperCase: false, stripLeadingZeros: true };
/** Other systems' codes are case-sensitive or digits, so only surrounding spaces are removed. */
const DEFAULT_FOLDING: CodeFolding = {
  dropDots: false,
  upperCase: false,
  stripLeadingZeros: false,
};

const SPACE = 0x20;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;
const CASE_OFFSET = LOWER_A - 0x41;

/** Returns how the code index compares codes of `system`. */
export function codeFoldingFor(system: CodeSystem): CodeFolding {
  switch (system) {
    case 'icd10cm':
    case 'icd10pcs':
      return ICD10_FOLDING;
    case 'loinc':
      return LOINC_FOLDING;
    case 'cvx':
      return CVX_FOLDING;
    default:
      return DEFAULT_FOLDING;
  }
}

/** Returns the start and end index of the part of a code that counts, skipping surrounding spaces and leading zeros. */
export function significantRange(
  folding: CodeFolding,
  code: string,
): { start: number; end: number } {
  let start = 0;
  let end = code.length;
  while (start < end && code.charCodeAt(start) <= SPACE) start++;
  while (end > start && code.charCodeAt(end - 1) <= SPACE) end--;
  if (folding.stripLeadingZeros) {
    while (start < end - 1 && code.charCodeAt(start) === DIGIT_0) start++;
  }
  return { start, end };
}

/** Returns the folded form of one character, or -1 for a character that does not count. */
export function foldCharacter(folding: CodeFolding, char: number): number {
  if (char === DOT && folding.dropDots) return -1;
  if (folding.upperCase && char >= LOWER_A && char <= LOWER_Z) return char - CASE_OFFSET;
  return char;
}

/** Returns `code` as the code index compares it for `system`, such as `E1165` for ICD-10-CM `e11.65`. */
export function normalizeCode(system: CodeSystem, code: string): string {
  const folding = codeFoldingFor(system);
  const { start, end } = significantRange(folding, code);
  let normalized = '';
  for (let index = start; index < end; index++) {
    const char = foldCharacter(folding, code.charCodeAt(index));
    if (char !== -1) normalized += String.fromCharCode(char);
  }
  return normalized;
}
