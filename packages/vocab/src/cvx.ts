import { formatIsoDate, isCalendarDate } from './calendar-dates';
import type { TableLayout } from './delimited-table';
import type { FieldChecks } from './field-checks';
import type { ReadOptions, VocabInput } from './input';
import type { VocabItem } from './problems';
import { readTableRecords } from './table-records';

/** VaccineStatus values of the CDC's CVX table. */
export const CVX_STATUSES = ['Active', 'Inactive', 'Pending', 'Never Active', 'Non-US'] as const;
export type CvxStatus = (typeof CVX_STATUSES)[number];

/** One row of the CVX table, with the table's columns in order. */
export interface CvxRecord {
  /** CVX Code: 1 to 3 digits, kept as written; tables write some codes with a leading zero. */
  cvxCode: string;
  /** CVX Short Description. */
  shortDescription: string;
  /** Full Vaccine Name. */
  fullVaccineName: string;
  /** Note; often empty. */
  note: string;
  vaccineStatus: CvxStatus;
  /** True for an entry that is not a vaccine, such as an immune globulin or "no vaccine administered". */
  nonvaccine: boolean;
  /** Last updated date, as `YYYY-MM-DD`, when the row has one. */
  lastUpdated?: string;
}

/**
 * The CDC's pipe-delimited CVX table (cvx.txt): no header row, no quoting, fields padded with
 * spaces, in the order CVX Code | CVX Short Description | Full Vaccine Name | Note |
 * VaccineStatus | nonvaccine | last updated date. A trailing "|" is accepted.
 */
const CVX_LAYOUT: TableLayout = {
  title: 'CVX',
  delimiter: '|',
  columns: [
    'CVX Code',
    'CVX Short Description',
    'Full Vaccine Name',
    'Note',
    'VaccineStatus',
    'nonvaccine',
    'last updated date',
  ],
  header: 'none',
  trailingDelimiter: 'optional',
};

const STATUS_BY_LOWER_CASE = new Map<string, CvxStatus>(
  CVX_STATUSES.map((status) => [status.toLowerCase(), status]),
);

/**
 * Reads the CDC's CVX table. Fields are trimmed. VaccineStatus is compared without regard to
 * case and returned in the spelling of `CVX_STATUSES`; nonvaccine is True or False.
 */
export async function* readCvxTable(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<CvxRecord>> {
  yield* readTableRecords(input, CVX_LAYOUT, options, (fields, checks) => {
    const [code, shortDescription, fullName, note, status, nonvaccine, updated] = fields.map(
      (field) => field.trim(),
    ) as [string, string, string, string, string, string, string];
    if (!/^\d{1,3}$/.test(code)) {
      checks.report(
        code === '' ? 'missing-value' : 'invalid-code',
        'CVX Code',
        'CVX Code must be 1 to 3 digits',
      );
    }
    const record: CvxRecord = {
      cvxCode: code,
      shortDescription: checks.required('CVX Short Description', shortDescription),
      fullVaccineName: fullName,
      note,
      vaccineStatus: readStatus(checks, status),
      nonvaccine: readNonvaccine(checks, nonvaccine),
    };
    const lastUpdated = readDate(checks, updated);
    if (lastUpdated !== undefined) record.lastUpdated = lastUpdated;
    return record;
  });
}

function readStatus(checks: FieldChecks, value: string): CvxStatus {
  const status = STATUS_BY_LOWER_CASE.get(value.toLowerCase());
  if (status === undefined) {
    checks.report(
      value === '' ? 'missing-value' : 'invalid-value',
      'VaccineStatus',
      `VaccineStatus must be one of ${CVX_STATUSES.join(', ')}`,
    );
  }
  return status ?? 'Active';
}

function readNonvaccine(checks: FieldChecks, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false')
    checks.report('invalid-value', 'nonvaccine', 'nonvaccine must be True or False');
  return lower === 'true';
}

/**
 * Reads the last updated date, written M/D/YYYY with or without leading zeros.
 * NOTE: the CDC's own date form is not confirmed against a current cvx.txt, so YYYY/MM/DD is accepted too.
 */
function readDate(checks: FieldChecks, value: string): string | undefined {
  if (value === '') return undefined;
  const monthFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const yearFirst = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(value);
  const [year, month, day] = monthFirst
    ? [Number(monthFirst[3]), Number(monthFirst[1]), Number(monthFirst[2])]
    : yearFirst
      ? [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])]
      : [0, 0, 0];
  if (!isCalendarDate(year, month, day) || year === 0) {
    checks.report(
      'invalid-value',
      'last updated date',
      'last updated date must be a date written MM/DD/YYYY',
    );
    return undefined;
  }
  return formatIsoDate(year, month, day);
}
