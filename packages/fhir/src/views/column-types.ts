import type { ColumnType } from '@carelake/core';
import type { ViewColumn } from './view-compiler';

const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt']);

/**
 * Map a view column's FHIR type to the lake's column type.
 *
 * - `boolean` becomes `boolean`. `integer`, `positiveInt` and `unsignedInt`, which are
 *   32-bit in FHIR, become `int`, and `integer64` becomes `bigint`.
 * - `decimal` becomes `double`, which keeps about 15 significant digits and drops
 *   trailing zeros.
 * - `date`, `dateTime`, `instant` and `time` stay `string`, holding the FHIR text. A FHIR
 *   date may be partial (`1974` or `1974-12`) and a dateTime keeps its UTC offset, so a
 *   `date` or `timestamp` column would invent a day or lose the offset. Full values cast
 *   in SQL where a query needs them, such as `CAST(birth_date AS DATE)`.
 * - Collection columns, complex types (`CodeableConcept`, `Reference`) and columns of
 *   unknown type become `string`; the writer stores collections and objects as JSON text.
 */
export function viewColumnTableType(column: Pick<ViewColumn, 'type' | 'collection'>): ColumnType {
  if (column.collection || column.type === undefined) return 'string';
  if (column.type === 'boolean') return 'boolean';
  if (INTEGER_TYPES.has(column.type)) return 'int';
  if (column.type === 'integer64') return 'bigint';
  if (column.type === 'decimal') return 'double';
  return 'string';
}
