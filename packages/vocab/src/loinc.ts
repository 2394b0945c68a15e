import { readCsvTable, type CsvTableColumn } from './csv-table';
import type { ReadOptions, VocabInput } from './input';
import { isValidLoincNumber } from './loinc-number';
import { FieldChecks } from './field-checks';
import type { VocabItem } from './problems';

export const LOINC_STATUSES = ['ACTIVE', 'TRIAL', 'DISCOURAGED', 'DEPRECATED'] as const;
export type LoincStatus = (typeof LOINC_STATUSES)[number];

/** One term of Loinc.csv. Fields are named as the file's headers name them. */
export interface LoincRecord {
  /** The LOINC code: 1 to 7 digits, a hyphen and a check digit, such as `12345-5`. */
  LOINC_NUM: string;
  COMPONENT: string;
  LONG_COMMON_NAME: string;
  /** Empty when the term has no short name. */
  SHORTNAME: string;
  CLASS: string;
  STATUS: LoincStatus;
  /** The LOINC version in which the term last changed, such as `2.78`. */
  VersionLastChanged: string;
  /**
   * Replacement of a deprecated term, from the MAP_TO column that older releases carry in
   * Loinc.csv. Newer releases list replacements in MapTo.csv instead; see `readLoincMapTo`.
   */
  MAP_TO?: string;
}

/** One row of MapTo.csv: a deprecated term and one of its replacements. */
export interface LoincMapToRecord {
  LOINC: string;
  MAP_TO: string;
  COMMENT: string;
}

const LOINC_COLUMNS: readonly CsvTableColumn[] = [
  { header: 'LOINC_NUM', required: true },
  { header: 'COMPONENT', required: true },
  { header: 'LONG_COMMON_NAME', required: true },
  { header: 'SHORTNAME', required: true },
  { header: 'CLASS', required: true },
  { header: 'STATUS', required: true },
  { header: 'VersionLastChanged', required: true },
  { header: 'MAP_TO', required: false },
];

const MAP_TO_COLUMNS: readonly CsvTableColumn[] = [
  { header: 'LOINC', required: true },
  { header: 'MAP_TO', required: true },
  { header: 'COMMENT', required: false },
];

/**
 * Reads LOINC's Loinc.csv, the quoted CSV table of terms. Columns are found by their header
 * names, in any order, and the many columns the loader does not read are ignored. Yields a record
 * per term, or problems for a record with a bad LOINC number, an unknown STATUS or an empty
 * required field. Throws `VocabFileError` listing the required headers the file lacks.
 */
export async function* readLoincTable(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<LoincRecord>> {
  for await (const item of readCsvTable(
    input,
    { title: 'Loinc.csv', columns: LOINC_COLUMNS },
    options,
  )) {
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    const values = item.values;
    const checks = new FieldChecks(options.file, item.line);
    const loincNumber = checkLoincNumber(checks, 'LOINC_NUM', values.get('LOINC_NUM') ?? '');
    const record: LoincRecord = {
      LOINC_NUM: loincNumber,
      COMPONENT: checks.required('COMPONENT', values.get('COMPONENT') ?? ''),
      LONG_COMMON_NAME: checks.required('LONG_COMMON_NAME', values.get('LONG_COMMON_NAME') ?? ''),
      SHORTNAME: values.get('SHORTNAME') ?? '',
      CLASS: checks.required('CLASS', values.get('CLASS') ?? ''),
      STATUS: checks.oneOf('STATUS', values.get('STATUS') ?? '', LOINC_STATUSES),
      VersionLastChanged: values.get('VersionLastChanged') ?? '',
    };
    const mapTo = values.get('MAP_TO');
    if (mapTo) record.MAP_TO = checkLoincNumber(checks, 'MAP_TO', mapTo);
    if (checks.ok) yield { kind: 'record', line: item.line, record };
    else yield* checks.problems;
  }
}

/**
 * Reads LOINC's MapTo.csv, which newer releases ship beside Loinc.csv: one row per replacement
 * of a deprecated term, so a term replaced by two terms has two rows.
 */
export async function* readLoincMapTo(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<LoincMapToRecord>> {
  for await (const item of readCsvTable(
    input,
    { title: 'MapTo.csv', columns: MAP_TO_COLUMNS },
    options,
  )) {
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    const checks = new FieldChecks(options.file, item.line);
    const record: LoincMapToRecord = {
      LOINC: checkLoincNumber(checks, 'LOINC', item.values.get('LOINC') ?? ''),
      MAP_TO: checkLoincNumber(checks, 'MAP_TO', item.values.get('MAP_TO') ?? ''),
      COMMENT: item.values.get('COMMENT') ?? '',
    };
    if (checks.ok) yield { kind: 'record', line: item.line, record };
    else yield* checks.problems;
  }
}

/**
 * Groups MapTo.csv records into a map from each deprecated LOINC number to its replacements, in
 * file order, for `codeRecordFromLoinc`. The map keeps every row in memory.
 */
export function groupLoincReplacements(records: Iterable<LoincMapToRecord>): Map<string, string[]> {
  const replacements = new Map<string, string[]>();
  for (const { LOINC, MAP_TO } of records) {
    const list = replacements.get(LOINC);
    if (list === undefined) replacements.set(LOINC, [MAP_TO]);
    else if (!list.includes(MAP_TO)) list.push(MAP_TO);
  }
  return replacements;
}

function checkLoincNumber(checks: FieldChecks, field: string, value: string): string {
  if (value === '') checks.report('missing-value', field, `${field} is empty`);
  else if (!isValidLoincNumber(value)) {
    checks.report(
      'invalid-code',
      field,
      `${field} must be a LOINC number: 1 to 7 digits, a hyphen and the mod 10 check digit`,
    );
  }
  return value;
}
