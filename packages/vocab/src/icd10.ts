import { VocabFileError } from './errors';
import { resolveMaxLineBytes, type ReadOptions, type VocabInput } from './input';
import { lineProblem, type VocabItem } from './problems';
import { detectReleaseFile } from './release-files';
import { FieldChecks } from './field-checks';
import { readTextLines, type TextLine } from './text-lines';

export type Icd10System = 'icd10cm' | 'icd10pcs';

export interface Icd10ReadOptions extends ReadOptions {
  /** The code system of the file. Defaults to the one its name shows, such as `icd10pcs` for icd10pcs_order_2025.txt. */
  system?: Icd10System;
}

/** One line of a CMS order file (icd10cm_order_YYYY.txt, icd10pcs_order_YYYY.txt). */
export interface Icd10OrderRecord {
  system: Icd10System;
  /** Positions 1-5: the code's place in the tabular order, which changes between releases. */
  orderNumber: number;
  /** Positions 7-13: the code without a dot, as the file writes it, such as `E1165`. */
  code: string;
  /** The code as it is displayed: ICD-10-CM with a dot after the third character (`E11.65`), ICD-10-PCS unchanged. */
  displayCode: string;
  /** Position 15: true (`1`) for a code valid for HIPAA transactions, false (`0`) for a header above such codes. */
  billable: boolean;
  /** Positions 17-76, without the padding. */
  shortDescription: string;
  /** Positions 78 to the end of the line. */
  longDescription: string;
}

/** One line of a CMS codes file (icd10cm_codes_YYYY.txt): a billable code, spaces, its description. */
export interface Icd10CodesRecord {
  system: Icd10System;
  /** The code without a dot, as the file writes it. */
  code: string;
  /** The code as it is displayed; see `Icd10OrderRecord.displayCode`. */
  displayCode: string;
  description: string;
}

/** Fields of the order file, with their 1-based positions; the position after each is blank. */
const ORDER_NUMBER = { name: 'order number (positions 1-5)', start: 0, end: 5 };
const CODE = { name: 'code (positions 7-13)', start: 6, end: 13 };
const BILLABLE = { name: 'billable flag (position 15)', start: 14, end: 15 };
const SHORT_DESCRIPTION = { name: 'short description (positions 17-76)', start: 16, end: 76 };
const LONG_DESCRIPTION = { name: 'long description (positions 78-end)', start: 77 };
/** 0-based indexes of the positions 6, 14, 16 and 77, which separate the fields. */
const SEPARATOR_INDEXES = [5, 13, 15, 76];

/**
 * ICD-10-CM: a letter, a digit, a letter or digit, then up to four letters or digits (`X` is the
 * placeholder). ICD-10-PCS: 7 characters of digits and letters other than I and O. The order
 * file also lists the 3- to 6-character table headers above them.
 */
const CODE_PATTERNS: Record<Icd10System, { order: RegExp; codes: RegExp; rule: string }> = {
  icd10cm: {
    order: /^[A-Z]\d[0-9A-Z][0-9A-Z]{0,4}$/,
    codes: /^[A-Z]\d[0-9A-Z][0-9A-Z]{0,4}$/,
    rule: 'a letter, a digit, then 1 to 5 letters or digits, without a dot',
  },
  icd10pcs: {
    order: /^[0-9A-HJ-NP-Z]{3,7}$/,
    codes: /^[0-9A-HJ-NP-Z]{7}$/,
    rule: 'digits and letters other than I and O',
  },
};

/**
 * Reads a CMS ICD-10-CM or ICD-10-PCS order file, the fixed-width list of every code and header
 * in tabular order. Yields a record per line, or problems naming the field and its positions.
 * Throws `VocabFileError` when the system is neither given nor shown by the file name.
 */
export async function* readIcd10OrderFile(
  input: VocabInput,
  options: Icd10ReadOptions,
): AsyncGenerator<VocabItem<Icd10OrderRecord>> {
  const system = resolveSystem(options);
  for await (const batch of readTextLines(input, {
    file: options.file,
    maxLineBytes: resolveMaxLineBytes(options),
  })) {
    for (const item of batch) {
      if (!('text' in item)) yield item;
      else if (item.text.trim().length > 0) yield* readOrderLine(item, system, options.file);
    }
  }
}

/**
 * Reads a CMS ICD-10-CM or ICD-10-PCS codes file: one billable code per line, spaces, then its
 * description. Yields a record per line, or problems naming the field.
 */
export async function* readIcd10CodesFile(
  input: VocabInput,
  options: Icd10ReadOptions,
): AsyncGenerator<VocabItem<Icd10CodesRecord>> {
  const system = resolveSystem(options);
  for await (const batch of readTextLines(input, {
    file: options.file,
    maxLineBytes: resolveMaxLineBytes(options),
  })) {
    for (const item of batch) {
      if (!('text' in item)) yield item;
      else if (item.text.trim().length > 0) yield* readCodesLine(item, system, options.file);
    }
  }
}

/** Returns the display form of an ICD-10 code: ICD-10-CM gets a dot after the third character. */
export function icd10DisplayCode(system: Icd10System, code: string): string {
  return system === 'icd10cm' && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/**
 * Returns the first day of an ICD-10 fiscal year, which starts on October 1 of the year before:
 * FY2025 codes apply from 2024-10-01. Mid-year updates (such as April 1) start later.
 */
export function icd10FiscalYearStart(fiscalYear: number): string {
  return `${String(fiscalYear - 1).padStart(4, '0')}-10-01`;
}

function resolveSystem(options: Icd10ReadOptions): Icd10System {
  if (options.system !== undefined) return options.system;
  const detected = detectReleaseFile(options.file);
  if (detected?.system === 'icd10cm' || detected?.system === 'icd10pcs') return detected.system;
  throw new VocabFileError(
    'the code system of this ICD-10 file is not known: its name shows neither ICD-10-CM nor ICD-10-PCS',
    {
      position: { file: options.file },
      hint: "Pass system: 'icd10cm' or system: 'icd10pcs' in the options.",
    },
  );
}

function readOrderLine(
  item: TextLine,
  system: Icd10System,
  file: string,
): VocabItem<Icd10OrderRecord>[] {
  const text = item.text;
  if (text.length < SHORT_DESCRIPTION.start) {
    return [
      lineProblem(
        file,
        item.line,
        'invalid-layout',
        `the line has ${text.length} characters, but an order-file line has at least ${SHORT_DESCRIPTION.start + 1}: order number, code, billable flag and descriptions at fixed positions`,
      ),
    ];
  }
  const checks = new FieldChecks(file, item.line);
  const badSeparator = SEPARATOR_INDEXES.find(
    (index) => index < text.length && text[index] !== ' ',
  );
  if (badSeparator !== undefined) {
    checks.report(
      'invalid-layout',
      `position ${badSeparator + 1}`,
      `position ${badSeparator + 1} must be blank in the order-file layout; the fields may be shifted`,
    );
    return checks.problems;
  }

  const orderNumber = text.slice(ORDER_NUMBER.start, ORDER_NUMBER.end);
  if (!/^\d{5}$/.test(orderNumber))
    checks.report('invalid-value', ORDER_NUMBER.name, `${ORDER_NUMBER.name} must be 5 digits`);
  const code = text.slice(CODE.start, CODE.end).trimEnd();
  checkCode(checks, CODE.name, code, system, 'order');
  const flag = text.slice(BILLABLE.start, BILLABLE.end);
  if (flag !== '0' && flag !== '1')
    checks.report('invalid-value', BILLABLE.name, `${BILLABLE.name} must be 0 or 1`);
  const shortDescription = checks.required(
    SHORT_DESCRIPTION.name,
    text.slice(SHORT_DESCRIPTION.start, SHORT_DESCRIPTION.end).trim(),
  );
  const longDescription = checks.required(
    LONG_DESCRIPTION.name,
    text.slice(LONG_DESCRIPTION.start).trim(),
  );
  if (!checks.ok) return checks.problems;

  return [
    {
      kind: 'record',
      line: item.line,
      record: {
        system,
        orderNumber: Number(orderNumber),
        code,
        displayCode: icd10DisplayCode(system, code),
        billable: flag === '1',
        shortDescription,
        longDescription,
      },
    },
  ];
}

function readCodesLine(
  item: TextLine,
  system: Icd10System,
  file: string,
): VocabItem<Icd10CodesRecord>[] {
  const match = /^(\S+) +(\S.*)$/.exec(item.text.trimEnd());
  const checks = new FieldChecks(file, item.line);
  if (!match) {
    checks.report(
      'missing-value',
      'description',
      'the line must have a code, one or more spaces, then the description',
    );
    return checks.problems;
  }
  const code = match[1] as string;
  checkCode(checks, 'code', code, system, 'codes');
  if (!checks.ok) return checks.problems;
  return [
    {
      kind: 'record',
      line: item.line,
      record: {
        system,
        code,
        displayCode: icd10DisplayCode(system, code),
        description: match[2] as string,
      },
    },
  ];
}

function checkCode(
  checks: FieldChecks,
  field: string,
  code: string,
  system: Icd10System,
  kind: 'order' | 'codes',
): void {
  if (code === '') {
    checks.report('missing-value', field, `${field} is empty`);
    return;
  }
  const pattern = CODE_PATTERNS[system];
  if (!pattern[kind].test(code)) {
    const length = system === 'icd10pcs' && kind === 'codes' ? '7' : '3 to 7';
    const name = system === 'icd10cm' ? 'ICD-10-CM' : 'ICD-10-PCS';
    checks.report(
      'invalid-code',
      field,
      `${field} must be an ${name} code of ${length} characters: ${pattern.rule}`,
    );
  }
}
