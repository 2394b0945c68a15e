export { collectCsv, decodeCsv, DEFAULT_MAX_FIELD_BYTES, type DecodeCsvOptions } from './decode';
export { DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES } from './column-values';
export { DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_FORMAT } from './date-time-format';
export { CsvDecodeError, CsvHeaderError, type CsvHeaderDifferences } from './errors';
export { isCsvProblem, type CsvDecodeItem, type CsvProblem, type CsvProblemCode, type CsvRecord } from './problems';
export {
  CSV_COLUMN_TYPES,
  csvSchema,
  parseCsvSchema,
  type CsvColumn,
  type CsvColumnType,
  type CsvSchema,
  type CsvSchemaInput,
} from './schema';
export { csvTableColumns, type CsvTableColumn } from './table-columns';
