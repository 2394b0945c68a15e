import type { Row } from '@carelake/core';
import { compileColumnReader, type ColumnReader } from './column-values';
import { CsvDecodeError, CsvHeaderError } from './errors';
import { positionalLayout, readHeaderLayout, type ColumnLayout } from './header';
import type { CsvDecodeItem, CsvProblem, CsvProblemCode, CsvRecord } from './problems';
import { readSplitRecords } from './read-records';
import type { BrokenRecord, SplitRecord } from './record-tracker';
import { parseCsvSchema, type CsvSchema, type CsvSchemaInput } from './schema';
import { resolveFieldEncoding, type FieldEncoding } from './text-encoding';

export interface DecodeCsvOptions {
  /** Name of the input (its landing key), stamped on every problem and error. */
  file: string;
  /**
   * Maximum length of one field in bytes. A longer field stops the decoding with a
   * `field-too-large` problem, because it usually means a quote that is never closed and would
   * otherwise keep the rest of the file in memory. Defaults to `DEFAULT_MAX_FIELD_BYTES`.
   */
  maxFieldBytes?: number;
}

/** 16 MiB: well above a long free-text note, and small enough that an unclosed quote cannot fill memory. */
export const DEFAULT_MAX_FIELD_BYTES = 16 * 1024 * 1024;

/** Size of the pieces a single byte array is fed to csv-parse in. */
const INPUT_PIECE_BYTES = 64 * 1024;

/**
 * Decodes a CSV file into typed records, streaming: bytes are read chunk by chunk and each record
 * is yielded as soon as it is read, so memory does not grow with the file.
 *
 * Yields a `CsvRecord` for each data record, and `CsvProblem`s for a record that cannot be read
 * (wrong field count, bad quoting, invalid bytes, a missing or invalid value), then goes on with
 * the next record. Problems carry positions and rules, never values.
 *
 * Throws `CsvHeaderError`, before any record is yielded, when the file has no header row or one
 * that does not match the schema. Throws `ConfigError` when the schema is invalid, and
 * `CsvDecodeError` when a chunk is not bytes. Chunks must not be changed after they are yielded,
 * which Node streams respect.
 */
export async function* decodeCsv(
  input: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  schemaInput: CsvSchemaInput,
  options: DecodeCsvOptions,
): AsyncGenerator<CsvDecodeItem> {
  const schema = parseCsvSchema(schemaInput);
  const maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  if (!Number.isSafeInteger(maxFieldBytes) || maxFieldBytes < 1) {
    throw new CsvDecodeError(`maxFieldBytes must be a positive integer, got ${maxFieldBytes}`, {
      position: { file: options.file },
    });
  }

  const encoding = resolveFieldEncoding(schema.encoding) as FieldEncoding;
  const context: RecordContext = {
    file: options.file,
    schema,
    encoding,
    readers: schema.columns.map((column) => compileColumnReader(column, schema.trim)),
    layout: schema.header ? undefined : positionalLayout(schema),
    maxFieldBytes,
  };

  const records = readSplitRecords(input instanceof Uint8Array ? piecesOf(input) : input, {
    // The schema check has made sure both can be written in the encoding.
    delimiter: encoding.encodeText(schema.delimiter) as Buffer,
    quote: encoding.encodeText(schema.quote) as Buffer,
    stripUtf8ByteOrderMark: encoding.isUtf8,
    maxFieldBytes,
    file: options.file,
  });

  for await (const batch of records) {
    for (const record of batch) {
      if (context.layout === undefined) {
        context.layout = readHeader(record, context);
        continue;
      }
      const recordIndex = record.sequence - (schema.header ? 1 : 0);
      if (record.kind === 'broken') yield brokenRecordProblem(record, recordIndex, context, context.layout);
      else yield* decodeRecord(record, recordIndex, context, context.layout);
    }
  }

  if (context.layout === undefined) {
    throw new CsvHeaderError('the file has no header row: it is empty or has only blank lines', {
      position: { file: options.file },
      hint: 'Set header: false in decode.schema if the partner sends files without a header row.',
    });
  }
}

/**
 * Collects every item of `decodeCsv` into records and problems. It keeps them all in memory, so
 * it suits tests and small files.
 */
export async function collectCsv(items: AsyncIterable<CsvDecodeItem>): Promise<{ records: CsvRecord[]; problems: CsvProblem[] }> {
  const result: { records: CsvRecord[]; problems: CsvProblem[] } = { records: [], problems: [] };
  for await (const item of items) {
    if (item.kind === 'problem') result.problems.push(item);
    else result.records.push(item);
  }
  return result;
}

interface RecordContext {
  file: string;
  schema: CsvSchema;
  encoding: FieldEncoding;
  readers: ColumnReader[];
  /** Undefined until the header row is read. */
  layout: ColumnLayout | undefined;
  maxFieldBytes: number;
}

function readHeader(record: SplitRecord | BrokenRecord, context: RecordContext): ColumnLayout {
  if (record.kind === 'broken') {
    throw new CsvHeaderError(`the header row cannot be read: ${describeBreak(record, undefined, context)}`, {
      position: { file: context.file, line: record.line },
    });
  }
  return readHeaderLayout(record, context.schema, context.encoding, context.file);
}

function decodeRecord(record: SplitRecord, recordIndex: number, context: RecordContext, layout: ColumnLayout): CsvDecodeItem[] {
  const problem = (code: CsvProblemCode, reason: string, column?: string): CsvProblem => ({
    kind: 'problem',
    code,
    file: context.file,
    line: record.line,
    endLine: record.endLine,
    recordIndex,
    ...(column === undefined ? {} : { column }),
    reason,
  });

  if (record.fields.length !== layout.fieldCount) {
    const expected = context.schema.header
      ? `the header has ${layout.fieldCount}`
      : `the schema declares ${layout.fieldCount} columns`;
    return [problem('field-count', `the record has ${record.fields.length} field(s), but ${expected}`)];
  }

  const values: Row = {};
  const problems: CsvProblem[] = [];
  context.schema.columns.forEach((column, columnIndex) => {
    const fieldIndex = layout.fieldIndexes[columnIndex];
    const bytes = fieldIndex === undefined ? undefined : record.fields[fieldIndex];
    if (bytes === undefined) {
      values[column.name] = null;
      return;
    }
    const text = context.encoding.decodeField(bytes);
    if (text === undefined) {
      problems.push(problem('invalid-encoding', `${column.name} contains bytes that are not valid ${context.encoding.name}`, column.name));
      return;
    }
    const result = (context.readers[columnIndex] as ColumnReader)(text);
    if (result.ok) values[column.name] = result.value;
    else problems.push(problem(result.code, `${column.name} ${result.reason}`, column.name));
  });

  if (problems.length > 0) return problems;
  return [{ kind: 'record', values, line: record.line, recordIndex }];
}

function brokenRecordProblem(record: BrokenRecord, recordIndex: number, context: RecordContext, layout: ColumnLayout): CsvProblem {
  const column = layout.columnNames[record.fieldIndex];
  return {
    kind: 'problem',
    code: problemCodeOf(record.cause),
    file: context.file,
    line: record.line,
    ...(record.endLine === undefined ? {} : { endLine: record.endLine }),
    recordIndex,
    ...(column === undefined ? {} : { column }),
    reason: describeBreak(record, column, context),
  };
}

function problemCodeOf(cause: BrokenRecord['cause']): CsvProblemCode {
  if (cause === 'quote-not-closed') return 'unterminated-quote';
  if (cause === 'field-too-large') return 'field-too-large';
  if (cause === 'other') return 'unreadable-record';
  return 'invalid-quote';
}

function describeBreak(record: BrokenRecord, column: string | undefined, context: RecordContext): string {
  const field = `field ${record.fieldIndex + 1}${column === undefined ? '' : ` (${column})`}`;
  switch (record.cause) {
    case 'quote-in-unquoted-field':
      return `${field} has a quote inside an unquoted value; a value with quotes must be enclosed in quotes, with each inner quote doubled`;
    case 'text-after-closing-quote':
      return `${field} has characters after its closing quote; each quote inside a quoted value must be doubled`;
    case 'quote-not-closed':
      return `a quote opened at line ${record.line} is never closed, so the rest of the file, to line ${record.endLine ?? record.line}, cannot be read`;
    case 'field-too-large':
      return `${field} is longer than maxFieldBytes (${context.maxFieldBytes} bytes), usually because a quote is never closed; the rest of the file was not read`;
    case 'other':
      return `csv-parse could not split the record (${record.parserCode})`;
  }
}

function* piecesOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += INPUT_PIECE_BYTES) {
    yield bytes.subarray(offset, offset + INPUT_PIECE_BYTES);
  }
}
