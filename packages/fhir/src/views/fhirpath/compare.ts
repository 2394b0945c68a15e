import { count, isObject, itemAt, type Collection } from './collection';
import { FhirPathEvaluationError } from './errors';
import { comparePartialTimes, parsePartialTime } from './temporal';

/**
 * Compare two items for FHIRPath equality (`=`): true, false, or undefined when the
 * result is unknown, as for date and time values of different precision. Set `temporal`
 * when the compiler found a date or time on either side, so strings compare as such.
 */
export function itemsEqual(left: unknown, right: unknown, temporal: boolean): boolean | undefined {
  if (typeof left === 'string' && typeof right === 'string') {
    if (left === right) return true;
    if (temporal) {
      const order = compareTemporalText(left, right);
      if (order !== null) return order === undefined ? undefined : order === 0;
    }
    return false;
  }
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (typeof left === 'boolean' && typeof right === 'boolean') return left === right;
  if (isObject(left) && isObject(right)) return objectsEqual(left, right);
  return false;
}

/** FHIRPath `=` on collections: empty if either side is empty, else item by item in order. */
export function collectionsEqual(
  left: Collection,
  right: Collection,
  temporal: boolean,
): boolean | undefined {
  const size = count(left);
  if (size === 0 || count(right) === 0) return undefined;
  if (size !== count(right)) return false;
  let result: boolean | undefined = true;
  for (let index = 0; index < size; index++) {
    const equal = itemsEqual(itemAt(left, index), itemAt(right, index), temporal);
    if (equal === false) return false;
    if (equal === undefined) result = undefined;
  }
  return result;
}

/**
 * FHIRPath equivalence (`~`), which is never empty. Strings ignore case and collapse white
 * space, dates of different precision are not equivalent, and the order of items does not matter.
 */
export function collectionsEquivalent(
  left: Collection,
  right: Collection,
  temporal: boolean,
): boolean {
  const size = count(left);
  if (size !== count(right)) return false;
  const unmatched = Array.from({ length: size }, (_, index) => itemAt(right, index));
  for (let index = 0; index < size; index++) {
    const item = itemAt(left, index);
    const match = unmatched.findIndex((candidate) => itemsEquivalent(item, candidate, temporal));
    if (match < 0) return false;
    unmatched.splice(match, 1);
  }
  return true;
}

function itemsEquivalent(left: unknown, right: unknown, temporal: boolean): boolean {
  if (typeof left === 'string' && typeof right === 'string') {
    if (temporal && compareTemporalText(left, right) === 0) return true;
    return normalizeText(left) === normalizeText(right);
  }
  return itemsEqual(left, right, temporal) === true;
}

function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Order two items for `<`, `<=`, `>` and `>=`: negative, zero or positive, or undefined
 * when dates of different precision cannot be ordered. Items of different kinds raise.
 */
export function compareItems(left: unknown, right: unknown, temporal: boolean): number | undefined {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') {
    if (temporal) {
      const order = compareTemporalText(left, right);
      if (order !== null) return order;
    }
    if (left < right) return -1;
    return left > right ? 1 : 0;
  }
  if (
    isObject(left) &&
    isObject(right) &&
    typeof left.value === 'number' &&
    typeof right.value === 'number'
  ) {
    if (quantityUnit(left) === quantityUnit(right)) return left.value - right.value;
    throw new FhirPathEvaluationError('cannot compare quantities with different units');
  }
  throw new FhirPathEvaluationError(
    `cannot compare ${describeKind(left)} with ${describeKind(right)}`,
  );
}

/** Compare date or time text; null when either side is not a date or time. */
function compareTemporalText(left: string, right: string): number | undefined | null {
  const a = parsePartialTime(left);
  const b = parsePartialTime(right);
  if (!a || !b) return null;
  return comparePartialTimes(a, b);
}

function objectsEqual(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  if (
    typeof left.value === 'number' &&
    typeof right.value === 'number' &&
    ('code' in left || 'unit' in left)
  ) {
    return left.value === right.value && quantityUnit(left) === quantityUnit(right);
  }
  return deepEqual(left, right);
}

function quantityUnit(quantity: Record<string, unknown>): unknown {
  return quantity.code ?? quantity.unit;
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length && left.every((item, index) => deepEqual(item, right[index]))
    );
  }
  if (isObject(left) && isObject(right)) {
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
  }
  return false;
}

function describeKind(value: unknown): string {
  if (isObject(value)) return 'an object';
  return `a ${typeof value}`;
}
