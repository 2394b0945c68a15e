/** Computes the age in whole years from a birth date to a reference date, both in UTC. */
export function ageInYears(birthDate: Date, referenceDate: Date): number {
  let age = referenceDate.getUTCFullYear() - birthDate.getUTCFullYear();
  const birthdayPassed =
    referenceDate.getUTCMonth() > birthDate.getUTCMonth() ||
    (referenceDate.getUTCMonth() === birthDate.getUTCMonth() && referenceDate.getUTCDate() >= birthDate.getUTCDate());
  if (!birthdayPassed) age -= 1;
  return age;
}

/** Formats the UTC year and month as yyyy-mm. */
export function yearMonth(value: Date): string {
  return `${value.getUTCFullYear()}-${String(value.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Oldest age Safe Harbor lets through. From 90 on, only the category "90 or older" may remain. */
export const OLDEST_REPORTABLE_AGE = 89;
