const LOINC_NUMBER = /^(\d{1,7})-(\d)$/;

/**
 * Returns whether `code` is a LOINC number whose check digit is right. LOINC's check digit is a
 * mod 10 (Luhn) digit. Counting from the right, the digits in odd positions are doubled. The
 * digits of the products and the other digits are summed, and the check digit brings the sum up
 * to a multiple of 10.
 */
export function isValidLoincNumber(code: string): boolean {
  const match = LOINC_NUMBER.exec(code);
  if (!match) return false;
  return loincCheckDigit(match[1] as string) === Number(match[2]);
}

/** Returns the mod 10 check digit of the digits before a LOINC number's hyphen. */
export function loincCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    const digit = digits.charCodeAt(digits.length - 1 - index) - 0x30;
    if (index % 2 === 0) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  }
  return (10 - (sum % 10)) % 10;
}
