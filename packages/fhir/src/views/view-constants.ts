import { isJsonObject } from '../types';
import type { ViewDefinitionIssue } from './errors';

/** A ViewDefinition constant, read by expressions as `%name`. */
export interface ConstantDefinition {
  keyPath: string;
  name: string;
  value: unknown;
  /** The FHIR type of the value, from its `value[x]` key (`valueDate` gives `date`). */
  type: string;
}

/** Names of views, columns and constants, as the specification requires: usable unquoted in SQL. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Names FHIRPath or SQL-on-FHIR already give a meaning to. */
export const RESERVED_CONSTANTS = new Set([
  'rowIndex',
  'resource',
  'rootResource',
  'context',
  'ucum',
]);

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9]\d*))+$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64 = /^(\s*([0-9a-zA-Z+/=]){4}\s*)+$/;
const INTEGER_MIN = -2_147_483_648;
const INTEGER_MAX = 2_147_483_647;

type ValueCheck = (value: unknown) => string | undefined;

const text =
  (pattern?: RegExp, format?: string): ValueCheck =>
  (value) => {
    if (typeof value !== 'string') return 'must be a string';
    if (pattern && !pattern.test(value)) return `must be ${format}`;
    return undefined;
  };

const integer =
  (minimum: number, what: string): ValueCheck =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= INTEGER_MAX
      ? undefined
      : `must be ${what}`;

/** The `value[x]` types SQL-on-FHIR allows for constants, and how each value is checked. */
const CONSTANT_TYPES: Record<string, ValueCheck> = {
  base64Binary: text(BASE64, 'base64 text'),
  boolean: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
  canonical: text(),
  code: text(/^[^\s]+(\s[^\s]+)*$/, 'a code without leading, trailing or double spaces'),
  date: text(DATE, 'a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)'),
  dateTime: text(DATE_TIME, 'a FHIR dateTime, such as 2024-05-01 or 2024-05-01T10:30:00Z'),
  decimal: (value) =>
    typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number',
  id: text(ID, 'an id of 1 to 64 letters, digits, "-" and "."'),
  instant: text(INSTANT, 'a FHIR instant with seconds and a time zone'),
  integer: integer(INTEGER_MIN, 'a 32-bit integer'),
  integer64: (value) =>
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && /^[+-]?\d{1,15}$/.test(value))
      ? undefined
      : 'must be an integer of at most 15 digits',
  oid: text(OID, 'an OID URI (urn:oid:...)'),
  positiveInt: integer(1, 'an integer of at least 1'),
  string: text(),
  time: text(TIME, 'a FHIR time (hh:mm:ss)'),
  unsignedInt: integer(0, 'an integer of at least 0'),
  uri: text(),
  url: text(),
  uuid: text(UUID, 'a UUID URI (urn:uuid:...)'),
};

/** Read one entry of `constant`, adding an issue for each problem. */
export function readConstant(
  entry: unknown,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): ConstantDefinition | undefined {
  if (!isJsonObject(entry)) {
    issues.push({ keyPath, message: 'must be an object with a name and one value[x]' });
    return undefined;
  }
  const name = entry.name;
  let validName: string | undefined;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    issues.push({
      keyPath: `${keyPath}.name`,
      message: 'must be a name of letters, digits and "_", starting with a letter',
    });
  } else if (RESERVED_CONSTANTS.has(name)) {
    issues.push({
      keyPath: `${keyPath}.name`,
      message: `%${name} is built in and cannot be redefined`,
    });
  } else {
    validName = name;
  }

  const valueKeys = Object.keys(entry).filter((key) => key.startsWith('value'));
  for (const key of Object.keys(entry)) {
    if (
      key !== 'name' &&
      key !== 'id' &&
      key !== 'extension' &&
      !key.startsWith('value') &&
      !key.startsWith('_')
    ) {
      issues.push({
        keyPath: `${keyPath}.${key}`,
        message: 'unknown key; expected name and one value[x]',
      });
    }
  }
  if (valueKeys.length !== 1) {
    const found = valueKeys.length === 0 ? 'none' : valueKeys.join(', ');
    issues.push({
      keyPath,
      message: `needs exactly one value[x], such as valueString or valueInteger, but has ${found}`,
    });
    return undefined;
  }
  const valueKey = valueKeys[0] as string;
  const type = valueKey.charAt(5).toLowerCase() + valueKey.slice(6);
  const check = Object.hasOwn(CONSTANT_TYPES, type) ? CONSTANT_TYPES[type] : undefined;
  if (!check) {
    issues.push({
      keyPath: `${keyPath}.${valueKey}`,
      message: `is not a constant type; use one of ${Object.keys(CONSTANT_TYPES)
        .map((known) => `value${known.charAt(0).toUpperCase()}${known.slice(1)}`)
        .join(', ')}`,
    });
    return undefined;
  }
  const problem = check(entry[valueKey]);
  if (problem) {
    issues.push({ keyPath: `${keyPath}.${valueKey}`, message: problem });
    return undefined;
  }
  if (validName === undefined) return undefined;
  const raw = entry[valueKey];
  const value = type === 'integer64' && typeof raw === 'string' ? Number(raw) : raw;
  return { keyPath, name: validName, value, type };
}
