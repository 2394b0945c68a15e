import { createHmac } from 'node:crypto';

const MS_PER_DAY = 86_400_000;

/**
 * Keyed pseudonym of a value: hex HMAC-SHA256 under the secret. Equal values get equal
 * pseudonyms in every column and run that uses the same secret, so joins still work.
 * It is derived from the value, so it is an Expert Determination technique, not a Safe Harbor code.
 */
export function pseudonymize(secret: string, value: string): string {
  return createHmac('sha256', secret).update(`pseudonym\u0000${value}`).digest('hex');
}

/**
 * Days by which every date of one patient moves: from HMAC-SHA256(secret, patient key), in
 * [-maxShiftDays, maxShiftDays]. The same patient and secret always give the same offset, so
 * intervals between one patient's dates are kept.
 */
export function dateShiftDays(secret: string, patientKey: string, maxShiftDays: number): number {
  const digest = createHmac('sha256', secret).update(`date-shift\u0000${patientKey}`).digest();
  // The 48-bit integer keeps the modulo bias below 2^-30 for any range this step accepts.
  const draw = digest.readUIntBE(0, 6);
  return (draw % (2 * maxShiftDays + 1)) - maxShiftDays;
}

/** Moves a date or timestamp by whole days, keeping its time of day in UTC. */
export function shiftDate(value: Date, days: number): Date {
  return new Date(value.getTime() + days * MS_PER_DAY);
}
