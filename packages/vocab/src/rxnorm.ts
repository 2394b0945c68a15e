import type { TableLayout } from './delimited-table';
import type { FieldChecks } from './field-checks';
import type { ReadOptions, VocabInput } from './input';
import type { VocabItem } from './problems';
import { readTableRecords } from './table-records';

/**
 * Loaders for the RxNorm Rich Release Format (RRF) files. Each line is one record whose fields are
 * each followed by "|", so a line ends with "|". RRF has no quoting and no header row, and is UTF-8.
 * Column names and order follow the RxNorm Technical Documentation. Fields are kept as the text
 * the file has, "" when empty, so that a row can be written back unchanged.
 */

// prettier-ignore
export const RXNCONSO_COLUMNS = [
  'RXCUI', 'LAT', 'TS', 'LUI', 'STT', 'SUI', 'ISPREF', 'RXAUI', 'SAUI',
  'SCUI', 'SDUI', 'SAB', 'TTY', 'CODE', 'STR', 'SRL', 'SUPPRESS', 'CVF',
] as const;
// prettier-ignore
export const RXNREL_COLUMNS = [
  'RXCUI1', 'RXAUI1', 'STYPE1', 'REL', 'RXCUI2', 'RXAUI2', 'STYPE2', 'RELA',
  'RUI', 'SRUI', 'SAB', 'SL', 'DIR', 'RG', 'SUPPRESS', 'CVF',
] as const;
// prettier-ignore
export const RXNSAT_COLUMNS = [
  'RXCUI', 'LUI', 'SUI', 'RXAUI', 'STYPE', 'CODE', 'ATUI', 'SATUI', 'ATN', 'SAB', 'ATV', 'SUPPRESS', 'CVF',
] as const;
/** Columns of RXNCUI.RRF, the retired concepts. */
export const RXNCUI_COLUMNS = ['CUI1', 'VER_START', 'VER_END', 'CARDINALITY', 'CUI2'] as const;
export const RXNCUICHANGES_COLUMNS = [
  'RXAUI',
  'CODE',
  'SAB',
  'TTY',
  'STR',
  'OLD_RXCUI',
  'NEW_RXCUI',
] as const;

/** One atom of RXNCONSO.RRF: a name of a concept in one source vocabulary. */
export type RxnConsoRecord = Record<(typeof RXNCONSO_COLUMNS)[number], string>;
/** One relationship of RXNREL.RRF, between concepts (STYPE `CUI`) or atoms (`AUI`). */
export type RxnRelRecord = Record<(typeof RXNREL_COLUMNS)[number], string>;
/** One attribute of RXNSAT.RRF, such as an NDC (ATN `NDC`, the code in ATV). */
export type RxnSatRecord = Record<(typeof RXNSAT_COLUMNS)[number], string>;

/**
 * One line of RXNCUI.RRF, the retired concepts. An RXCUI retired into several concepts has one
 * line per replacement. VER_START and VER_END are the first and last RxNorm versions that
 * contained CUI1, kept as the file writes them.
 */
export interface RxnCuiRecord {
  /** The retired RXCUI. */
  CUI1: string;
  VER_START: string;
  VER_END: string;
  /** The number of concepts CUI1 was retired into; 0 when it has no replacement. */
  CARDINALITY: number;
  /** A concept CUI1 was retired into; empty, or equal to CUI1, when it has none. */
  CUI2: string;
}

/** One line of RXNCUICHANGES.RRF: an atom that moved from one concept to another. */
export type RxnCuiChangesRecord = Record<(typeof RXNCUICHANGES_COLUMNS)[number], string>;

/** SUPPRESS values: N not suppressible, O obsolete, Y suppressed by the editors, E suppressed by end users. */
const SUPPRESS_VALUES = ['', 'N', 'O', 'Y', 'E'] as const;

function rrfLayout(title: string, columns: readonly string[]): TableLayout {
  return { title, delimiter: '|', columns, header: 'none', trailingDelimiter: 'required' };
}

const RXNCONSO_LAYOUT = rrfLayout('RXNCONSO.RRF', RXNCONSO_COLUMNS);
const RXNREL_LAYOUT = rrfLayout('RXNREL.RRF', RXNREL_COLUMNS);
const RXNSAT_LAYOUT = rrfLayout('RXNSAT.RRF', RXNSAT_COLUMNS);
const RXNCUI_LAYOUT = rrfLayout('RXNCUI.RRF', RXNCUI_COLUMNS);
const RXNCUICHANGES_LAYOUT = rrfLayout('RXNCUICHANGES.RRF', RXNCUICHANGES_COLUMNS);

/** Reads RXNCONSO.RRF. RXCUI and RXAUI must be digits; LAT, SAB, TTY, CODE and STR must not be empty. */
export async function* readRxnConso(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<RxnConsoRecord>> {
  yield* readRrf(input, RXNCONSO_LAYOUT, options, (checks, record: RxnConsoRecord) => {
    checks.digits('RXCUI', record.RXCUI);
    checks.digits('RXAUI', record.RXAUI);
    for (const field of ['LAT', 'SAB', 'TTY', 'CODE', 'STR'] as const)
      checks.required(field, record[field]);
    checks.oneOf('SUPPRESS', record.SUPPRESS, SUPPRESS_VALUES);
  });
}

/** Reads RXNREL.RRF. REL, SAB, STYPE1 and STYPE2 must not be empty; the ids present must be digits. */
export async function* readRxnRel(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<RxnRelRecord>> {
  yield* readRrf(input, RXNREL_LAYOUT, options, (checks, record: RxnRelRecord) => {
    for (const field of ['RXCUI1', 'RXAUI1', 'RXCUI2', 'RXAUI2'] as const)
      checks.digits(field, record[field], { required: false });
    for (const field of ['STYPE1', 'REL', 'STYPE2', 'SAB'] as const)
      checks.required(field, record[field]);
    checks.oneOf('SUPPRESS', record.SUPPRESS, SUPPRESS_VALUES);
  });
}

/** Reads RXNSAT.RRF. RXCUI must be digits; ATN and SAB must not be empty. */
export async function* readRxnSat(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<RxnSatRecord>> {
  yield* readRrf(input, RXNSAT_LAYOUT, options, (checks, record: RxnSatRecord) => {
    checks.digits('RXCUI', record.RXCUI);
    checks.digits('RXAUI', record.RXAUI, { required: false });
    checks.required('ATN', record.ATN);
    checks.required('SAB', record.SAB);
    checks.oneOf('SUPPRESS', record.SUPPRESS, SUPPRESS_VALUES);
  });
}

/** Reads RXNCUI.RRF, the retired concepts. CUI1 must be digits, CARDINALITY an integer. */
export async function* readRxnCui(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<RxnCuiRecord>> {
  yield* readTableRecords(input, RXNCUI_LAYOUT, options, (fields, checks) => {
    const [cui1, verStart, verEnd, cardinality, cui2] = fields as [
      string,
      string,
      string,
      string,
      string,
    ];
    const record: RxnCuiRecord = {
      CUI1: checks.digits('CUI1', cui1),
      VER_START: checks.required('VER_START', verStart),
      VER_END: checks.required('VER_END', verEnd),
      CARDINALITY: checks.integer('CARDINALITY', cardinality),
      CUI2: checks.digits('CUI2', cui2, { required: false }),
    };
    return record;
  });
}

/** Reads RXNCUICHANGES.RRF. OLD_RXCUI and NEW_RXCUI must be digits. */
export async function* readRxnCuiChanges(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<RxnCuiChangesRecord>> {
  yield* readRrf(input, RXNCUICHANGES_LAYOUT, options, (checks, record: RxnCuiChangesRecord) => {
    checks.digits('OLD_RXCUI', record.OLD_RXCUI);
    checks.digits('NEW_RXCUI', record.NEW_RXCUI);
  });
}

/** Reads an RRF file whose fields all stay text, checking each record with `check`. */
async function* readRrf<T extends Record<string, string>>(
  input: VocabInput,
  layout: TableLayout,
  options: ReadOptions,
  check: (checks: FieldChecks, record: T) => void,
): AsyncGenerator<VocabItem<T>> {
  yield* readTableRecords(input, layout, options, (fields, checks) => {
    const record = recordOf<T>(layout.columns, fields);
    check(checks, record);
    return record;
  });
}

function recordOf<T>(columns: readonly string[], fields: readonly string[]): T {
  const record: Record<string, string> = {};
  columns.forEach((column, index) => {
    record[column] = fields[index] as string;
  });
  return record as T;
}
