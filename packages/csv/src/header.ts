import { CsvHeaderError, type CsvHeaderDifferences } from './errors';
import { sourceHeaderOf, type CsvSchema } from './schema';
import type { FieldEncoding } from './text-encoding';

/** Positions of the columns in the records of one file. */
export interface ColumnLayout {
  /** Number of fields every record must have. */
  fieldCount: number;
  /** For each schema column, in schema order, the 0-based field that contains it, or undefined when the file lacks it. */
  fieldIndexes: Array<number | undefined>;
  /** For each 0-based field, the lake column it contains, or undefined for an ignored field. */
  columnNames: Array<string | undefined>;
}

/** Maximum length of a header name quoted in a message, so a stray data row cannot flood a log line. */
const MAX_QUOTED_HEADER_LENGTH = 64;

/** Returns the layout of a file without a header row, whose fields follow the schema's column order. */
export function positionalLayout(schema: CsvSchema): ColumnLayout {
  return {
    fieldCount: schema.columns.length,
    fieldIndexes: schema.columns.map((_, index) => index),
    columnNames: schema.columns.map((column) => column.name),
  };
}

export interface HeaderRow {
  fields: Uint8Array[];
  line: number;
}

/**
 * Matches a header row to the schema by name, so columns may come in any order. Names are
 * compared after trimming white space, with case. Throws one `CsvHeaderError` that lists every
 * difference: missing required columns, unexpected columns when `extraColumns` is `reject`, and
 * declared headers that appear twice.
 */
export function readHeaderLayout(header: HeaderRow, schema: CsvSchema, encoding: FieldEncoding, file: string): ColumnLayout {
  const names = header.fields.map((bytes, index) => {
    const text = encoding.decodeField(bytes);
    if (text === undefined) {
      throw new CsvHeaderError(`header field ${index + 1} contains bytes that are not valid ${encoding.name}`, {
        position: { file, line: header.line },
        hint: 'Check that decode.schema.encoding names the encoding the partner writes.',
      });
    }
    return text.trim();
  });

  const columnIndexByHeader = new Map(schema.columns.map((column, index) => [sourceHeaderOf(column).trim(), index]));
  const fieldIndexes: Array<number | undefined> = schema.columns.map(() => undefined);
  const columnNames: Array<string | undefined> = names.map(() => undefined);
  const positionsByHeader = new Map<string, number[]>();
  const unexpected: CsvHeaderDifferences['unexpected'] = [];

  names.forEach((name, fieldIndex) => {
    const columnIndex = columnIndexByHeader.get(name);
    if (columnIndex === undefined) {
      unexpected.push({ position: fieldIndex + 1, header: name });
      return;
    }
    const positions = positionsByHeader.get(name) ?? [];
    positions.push(fieldIndex + 1);
    positionsByHeader.set(name, positions);
    if (fieldIndexes[columnIndex] === undefined) {
      fieldIndexes[columnIndex] = fieldIndex;
      columnNames[fieldIndex] = schema.columns[columnIndex]?.name;
    }
  });

  // A row that matches no column at all is likely data, so its names must not reach a message,
  // and it fails the file even when extra columns are ignored.
  const matchesNothing = positionsByHeader.size === 0;
  let reportedUnexpected: CsvHeaderDifferences['unexpected'] = [];
  if (matchesNothing) reportedUnexpected = unexpected.map(({ position }) => ({ position }));
  else if (schema.extraColumns === 'reject') reportedUnexpected = unexpected;

  const differences: CsvHeaderDifferences = {
    missing: schema.columns
      .filter((column, index) => column.required && fieldIndexes[index] === undefined)
      .map((column) => ({ column: column.name, header: sourceHeaderOf(column) })),
    unexpected: reportedUnexpected,
    duplicates: [...positionsByHeader]
      .filter(([, positions]) => positions.length > 1)
      .map(([name, positions]) => ({ header: name, positions })),
  };
  if (differences.missing.length > 0 || differences.unexpected.length > 0 || differences.duplicates.length > 0) {
    throw headerMismatch(differences, header, schema, file);
  }

  return { fieldCount: names.length, fieldIndexes, columnNames };
}

function headerMismatch(differences: CsvHeaderDifferences, header: HeaderRow, schema: CsvSchema, file: string): CsvHeaderError {
  const parts: string[] = [];
  if (differences.missing.length > 0) {
    const list = differences.missing.map(({ column, header: name }) =>
      name === column ? quote(name) : `${quote(name)} (${column})`,
    );
    parts.push(`missing required column(s) ${list.join(', ')}`);
  }
  const unnamed = differences.unexpected.length > 0 && differences.unexpected.every((entry) => entry.header === undefined);
  if (unnamed) {
    parts.push(
      `none of the ${header.fields.length} header field(s) names a declared column, so the first row may be data or use another delimiter than ${quote(schema.delimiter)}`,
    );
  } else if (differences.unexpected.length > 0) {
    const list = differences.unexpected.map(({ position, header: name }) => `${quote(name ?? '')} at position ${position}`);
    parts.push(`unexpected column(s) ${list.join(', ')}`);
  }
  for (const { header: name, positions } of differences.duplicates) {
    parts.push(`${quote(name)} appears at positions ${positions.join(', ')}`);
  }

  const hints: string[] = [];
  if (unnamed) hints.push('Set header: false in decode.schema if the file has no header row, or check the delimiter.');
  if (differences.missing.length > 0) hints.push('Map a renamed header with the column\'s header key, or mark the column required: false.');
  if (differences.unexpected.length > 0 && !unnamed) hints.push('Declare the extra columns, or set extraColumns: ignore.');
  if (startsWithUtf8ByteOrderMark(header.fields[0])) {
    hints.push(`The file starts with a UTF-8 byte-order mark, but the schema declares ${schema.encoding}; declare utf-8.`);
  }

  return new CsvHeaderError(`header does not match the schema: ${parts.join('; ')}`, {
    position: { file, line: header.line },
    hint: hints.join(' '),
    differences,
  });
}

function quote(name: string): string {
  const shortened = name.length > MAX_QUOTED_HEADER_LENGTH ? `${name.slice(0, MAX_QUOTED_HEADER_LENGTH)}...` : name;
  return JSON.stringify(shortened);
}

function startsWithUtf8ByteOrderMark(bytes: Uint8Array | undefined): boolean {
  return bytes !== undefined && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
