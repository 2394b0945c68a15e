import { z } from 'zod';
import { type ConfigIssue, formatKeyPath } from '@carelake/core';
import { DeidProfileError } from './errors';
import { RESTRICTED_ZIP3_LIST_NAMES } from './zip3';

const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a column name in lower case');

/**
 * Action a `limited` profile applies to one column:
 * - `keep`: copy the value;
 * - `redact`: leave the column out of the output;
 * - `generalize`: a date or timestamp to its `year` or `month` (yyyy-mm), a ZIP code to `zip3`;
 * - `pseudonymize`: replace the value by its keyed HMAC-SHA256 pseudonym;
 * - `shift-date`: move the date by the patient's offset.
 */
export const columnActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }).strict(),
  z.object({ action: z.literal('redact') }).strict(),
  z.object({ action: z.literal('generalize'), to: z.enum(['year', 'month', 'zip3']) }).strict(),
  z.object({ action: z.literal('pseudonymize') }).strict(),
  z.object({ action: z.literal('shift-date') }).strict(),
]);
export type ColumnAction = z.output<typeof columnActionSchema>;

export const deidProfileSchema = z
  .object({
    /** De-identification method: `safe-harbor` for classification `deidentified`, `limited` for a limited data set or Expert Determination. */
    method: z.enum(['safe-harbor', 'limited']),
    /** Column whose value identifies the patient: study ids (Safe Harbor) and date shifts are keyed on it. */
    patientColumn: columnName.default('patient_key'),
    /** Date-of-birth column: its year is removed for patients aged 90 or older. */
    birthDateColumn: columnName.default('birth_date'),
    /** Columns of US ZIP codes, cut to three digits. */
    postalCodeColumns: z.array(columnName).default(['postal_code']),
    /** Numeric columns of ages in years. Ages over 89 become 90, meaning "90 or older". */
    ageColumns: z.array(columnName).default([]),
    /** Columns without an identifier kind that Safe Harbor keeps although they are classified `limited` or `phi`. */
    keep: z.array(columnName).default([]),
    /** Per-column actions of a `limited` profile. Columns not listed get the default of their identifier kind. */
    columns: z.record(columnName, columnActionSchema).default({}),
    restrictedZip3List: z.enum(RESTRICTED_ZIP3_LIST_NAMES).default('union'),
    dateShift: z.object({ maxShiftDays: z.number().int().min(1).max(3650).default(365) }).strict().default({ maxShiftDays: 365 }),
    riskCheck: z
      .object({
        k: z.number().int().min(2).default(5),
        /** Output columns to group by. By default they are the quasi-identifier, ZIP3, birth-year and age columns. */
        quasiIdentifiers: z.array(columnName).optional(),
      })
      .strict()
      .default({ k: 5 }),
    /** Free-text columns are removed unless `detect` is on, which keeps them with obvious identifiers replaced. */
    freeText: z.object({ detect: z.boolean().default(false) }).strict().default({ detect: false }),
  })
  .strict()
  .superRefine((profile, context) => {
    if (profile.method === 'safe-harbor' && Object.keys(profile.columns).length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['columns'],
        message: 'per-column actions apply only to method "limited", because Safe Harbor applies fixed rules',
      });
    }
  });

export type DeidProfile = z.output<typeof deidProfileSchema>;

/** Validates a parsed profile document and reports every problem at once, each with its key path. */
export function parseDeidProfile(document: unknown, source = 'de-identification profile'): DeidProfile {
  const result = deidProfileSchema.safeParse(document);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    keyPath: formatKeyPath(issue.path),
    message: issue.message,
  }));
  throw new DeidProfileError(`${source} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`, issues);
}
