import type { DatasetDefinition, IdentifierKind, Row, RowValue } from '@carelake/core';
import { ageInYears, OLDEST_REPORTABLE_AGE, yearMonth } from './dates';
import { DeidError, DeidInputError } from './errors';
import { dateShiftDays, pseudonymize, shiftDate } from './keyed';
import { AGE_90_OR_OLDER_COLUMN, type OutputColumn, planColumns, type PlannedColumn } from './plan';
import type { DeidProfile } from './profile';
import type { ColumnReport, DeidReport, FreeTextReport } from './report';
import { checkResidualRisk } from './risk';
import { type CrosswalkEntry, StudyIdAssigner } from './study-ids';
import { type RecordIdentifiers, scrubText } from './text-detector';
import { generalizeZip, restrictedZip3Prefixes } from './zip3';

export interface DeidentifyOptions {
  /** Key of the HMAC pseudonyms and date shifts, of at least 16 characters. Required when the profile uses either. */
  secret?: string;
  /** Source of study ids under Safe Harbor, crypto.randomUUID by default. */
  randomStudyId?: () => string;
  /** Stored crosswalk, so that a patient keeps the study id of earlier runs. */
  crosswalk?: Iterable<CrosswalkEntry>;
  /** Date at which ages are computed from birth dates, the current time by default. */
  referenceDate?: Date;
}

export interface DeidentifyResult {
  /** Output columns in order, for the table in the `deid` database. */
  columns: OutputColumn[];
  rows: Row[];
  /** Crosswalk entries drawn in this run, to be stored apart from the data where only stewards can read them. */
  crosswalk: CrosswalkEntry[];
  report: DeidReport;
}

const MIN_SECRET_LENGTH = 16;

/** Identifier kinds whose values the free-text detector looks for as record numbers. */
const RECORD_NUMBER_KINDS: ReadonlySet<IdentifierKind> = new Set<IdentifierKind>([
  'medical_record_number',
  'health_plan_number',
  'account_number',
  'ssn',
  'certificate_license_number',
  'other_unique',
]);

/**
 * De-identifies rows of one dataset under a profile: drops or transforms every identifier column,
 * assigns study ids or pseudonyms, and reports what it did with a residual-risk count.
 * The profile is checked against the dataset before any row is read.
 */
export function deidentifyRows(
  dataset: DatasetDefinition,
  rows: readonly Row[],
  profile: DeidProfile,
  options: DeidentifyOptions = {},
): DeidentifyResult {
  const plan = planColumns(dataset, profile);
  const secret = requireSecretIfUsed(plan, options.secret);
  const assigner = new StudyIdAssigner(options.crosswalk ?? [], options.randomStudyId);
  const context: TransformContext = {
    dataset,
    profile,
    secret,
    assigner,
    referenceDate: options.referenceDate ?? new Date(),
    restrictedZip3: restrictedZip3Prefixes(profile.restrictedZip3List),
    recordNumberColumns: columnsOfKinds(dataset, RECORD_NUMBER_KINDS),
    nameColumns: columnsOfKinds(dataset, new Set<IdentifierKind>(['name'])),
  };
  const reports = new Map<string, ColumnReport>(plan.map((planned) => [planned.column, emptyColumnReport(planned)]));
  const freeText = new Map<string, FreeTextReport>();
  const seenPatients = new Set<string>();

  const output = rows.map((row, index) => {
    const patientKey = row[profile.patientColumn] ?? null;
    if (patientKey !== null) seenPatients.add(String(patientKey));
    const result: Row = {};
    for (const planned of plan) {
      transformColumn(planned, row, index, result, context, reports.get(planned.column) as ColumnReport, freeText);
    }
    return result;
  });

  const columns = plan.flatMap((planned) => planned.outputs);
  const quasiIdentifiers = profile.riskCheck.quasiIdentifiers ?? defaultQuasiIdentifiers(plan);
  const added = assigner.addedEntries();
  const report: DeidReport = {
    table: dataset.table,
    method: profile.method,
    rowCount: rows.length,
    columns: [...reports.values()],
    freeText: [...freeText.values()],
    residualRisk: checkResidualRisk(output, quasiIdentifiers, profile.riskCheck.k),
  };
  if (plan.some((planned) => planned.treatment === 'study-id')) {
    report.studyIds = { reused: seenPatients.size - added.length, added: added.length };
  }
  return { columns, rows: output, crosswalk: added, report };
}

interface TransformContext {
  dataset: DatasetDefinition;
  profile: DeidProfile;
  secret: string;
  assigner: StudyIdAssigner;
  referenceDate: Date;
  restrictedZip3: ReadonlySet<string>;
  recordNumberColumns: string[];
  nameColumns: string[];
}

function transformColumn(
  planned: PlannedColumn,
  row: Row,
  index: number,
  result: Row,
  context: TransformContext,
  report: ColumnReport,
  freeText: Map<string, FreeTextReport>,
): void {
  const value = row[planned.column] ?? null;
  const [first, second] = planned.outputs;
  if (planned.treatment === 'redact') {
    if (value !== null) report.changedValues += 1;
    return;
  }
  if (first === undefined) return;
  if (value === null) {
    for (const output of planned.outputs) result[output.name] = null;
    return;
  }

  let transformed: RowValue;
  switch (planned.treatment) {
    case 'keep':
      transformed = value;
      break;
    case 'study-id':
      transformed = context.assigner.studyIdFor(String(value));
      break;
    case 'pseudonymize':
      transformed = pseudonymize(context.secret, String(value));
      break;
    case 'year':
      transformed = requireDate(value, planned.column, index, context).getUTCFullYear();
      break;
    case 'month':
      transformed = yearMonth(requireDate(value, planned.column, index, context));
      break;
    case 'birth-year': {
      const birthDate = requireDate(value, planned.column, index, context);
      const isOld = ageInYears(birthDate, context.referenceDate) > OLDEST_REPORTABLE_AGE;
      transformed = isOld ? null : birthDate.getUTCFullYear();
      if (second !== undefined) result[second.name] = isOld;
      break;
    }
    case 'zip3':
      transformed = generalizeZip(String(value), context.restrictedZip3);
      break;
    case 'age-cap': {
      const age = typeof value === 'bigint' ? Number(value) : value;
      if (typeof age !== 'number') throw wrongType(planned.column, index, context, 'a number');
      transformed = age > OLDEST_REPORTABLE_AGE ? OLDEST_REPORTABLE_AGE + 1 : value;
      break;
    }
    case 'shift-date': {
      const date = requireDate(value, planned.column, index, context);
      const patientKey = row[context.profile.patientColumn];
      transformed =
        typeof patientKey === 'string'
          ? shiftDate(date, dateShiftDays(context.secret, patientKey, context.profile.dateShift.maxShiftDays))
          : null;
      break;
    }
    case 'scrub-text': {
      const scrubbed = scrubText(String(value), recordIdentifiers(row, context));
      transformed = scrubbed.text;
      countDetections(freeText, planned.column, scrubbed.detections);
      break;
    }
  }

  result[first.name] = transformed;
  if (transformed === null) report.suppressedValues += 1;
  else if (!sameValue(transformed, value)) report.changedValues += 1;
}

function requireDate(value: RowValue, column: string, index: number, context: TransformContext): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  throw wrongType(column, index, context, 'a valid Date');
}

function wrongType(column: string, index: number, context: TransformContext, expected: string): DeidInputError {
  // The message names the type found, never the value, because the value is health data.
  return new DeidInputError(`expected ${expected} in column ${column} of ${context.dataset.table}`, {
    position: { record: index, field: column },
    hint: 'Pass rows as the table layer reads them: date and timestamp columns as Date objects.',
  });
}

function recordIdentifiers(row: Row, context: TransformContext): RecordIdentifiers {
  const names = context.nameColumns.map((column) => row[column]).filter((value): value is string => typeof value === 'string');
  const recordNumbers: string[] = [];
  for (const column of context.recordNumberColumns) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    recordNumbers.push(value);
    // Keys such as hl7v2:<authority>:<id> appear in notes as the bare id.
    const bare = value.slice(value.lastIndexOf(':') + 1);
    if (bare !== value) recordNumbers.push(bare);
  }
  return { names, recordNumbers };
}

function countDetections(freeText: Map<string, FreeTextReport>, column: string, detections: ReturnType<typeof scrubText>['detections']): void {
  let entry = freeText.get(column);
  if (entry === undefined) {
    entry = { column, detections: {} };
    freeText.set(column, entry);
  }
  for (const detection of detections) {
    entry.detections[detection.kind] = (entry.detections[detection.kind] ?? 0) + 1;
  }
}

function requireSecretIfUsed(plan: readonly PlannedColumn[], secret: string | undefined): string {
  const keyed = plan.find((planned) => planned.treatment === 'pseudonymize' || planned.treatment === 'shift-date');
  if (keyed === undefined) return '';
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    throw new DeidError(
      `column ${keyed.column} is ${keyed.treatment === 'pseudonymize' ? 'pseudonymized' : 'date-shifted'} but the secret is ${secret === undefined ? 'missing' : 'shorter than ' + MIN_SECRET_LENGTH + ' characters'}`,
      { hint: 'Pass a secret of at least 16 characters from the key provider, the same one in every run so that joins keep working.' },
    );
  }
  return secret;
}

function columnsOfKinds(dataset: DatasetDefinition, kinds: ReadonlySet<IdentifierKind>): string[] {
  return Object.entries(dataset.columns)
    .filter(([, column]) => column.identifier !== undefined && kinds.has(column.identifier))
    .map(([name]) => name);
}

function defaultQuasiIdentifiers(plan: readonly PlannedColumn[]): string[] {
  return plan
    .filter(
      (planned) =>
        (planned.identifier === 'quasi' && planned.treatment !== 'redact') ||
        planned.treatment === 'zip3' ||
        planned.treatment === 'birth-year' ||
        planned.treatment === 'age-cap',
    )
    .flatMap((planned) => planned.outputs.map((output) => output.name))
    .filter((name) => name !== AGE_90_OR_OLDER_COLUMN);
}

function emptyColumnReport(planned: PlannedColumn): ColumnReport {
  return {
    column: planned.column,
    identifier: planned.identifier,
    treatment: planned.treatment,
    outputColumns: planned.outputs.map((output) => output.name),
    reason: planned.reason,
    changedValues: 0,
    suppressedValues: 0,
  };
}

function sameValue(a: RowValue, b: RowValue): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
