import { FhirPathEvaluationError } from './errors';

/**
 * A FHIRPath collection, stored so that the common cases allocate nothing:
 * `undefined` is the empty collection, an array contains two or more items, and any
 * other value is a collection of that one item. FHIR JSON never nests arrays, so an
 * item is never an array itself. Arrays may be the resource's own arrays and are
 * never changed in place.
 */
export type Collection = unknown;

/** The state one evaluation of a view shares between its expressions. */
export interface EvaluationEnv {
  /** The resource being read, for `%resource` and `%rootResource`. */
  resource: unknown;
  /** `%rowIndex`: the 0-based index of the current `forEach`, `forEachOrNull` or `repeat` item. */
  rowIndex: number;
  /** `$index` inside `where`, `select`, `exists`, `all` and `repeat` criteria. */
  index: number;
}

/** Evaluates an expression for one focus item (`$this`); `undefined` focus means no item. */
export type ItemEvaluator = (focus: unknown, env: EvaluationEnv) => Collection;

export function count(collection: Collection): number {
  if (collection === undefined) return 0;
  return Array.isArray(collection) ? collection.length : 1;
}

export function itemAt(collection: Collection, index: number): unknown {
  if (Array.isArray(collection)) return collection[index];
  return index === 0 ? collection : undefined;
}

/** Return the items as an array; allocates for a single item. */
export function toArray(collection: Collection): readonly unknown[] {
  if (collection === undefined) return [];
  return Array.isArray(collection) ? collection : [collection];
}

/** Build a collection from an array that the caller gives up, normalizing 0 and 1 items. */
export function fromArray(items: unknown[]): Collection {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}

/**
 * Turn a JSON element value into a collection: a JSON array becomes its items without
 * the nulls that FHIR JSON puts in primitive arrays where only the `_name` sibling has content.
 */
export function fromJson(value: unknown): Collection {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return value;
  if (value.length === 1) return value[0] ?? undefined;
  if (value.length === 0) return undefined;
  for (const item of value) {
    if (item === null || item === undefined)
      return fromArray(value.filter((kept) => kept !== null && kept !== undefined));
  }
  return value;
}

/** Append the items of a collection to `out`. */
export function pushAll(out: unknown[], collection: Collection): void {
  if (collection === undefined) return;
  if (Array.isArray(collection)) for (const item of collection) out.push(item);
  else out.push(collection);
}

/** Return the only item, or undefined when empty; several items break FHIRPath's singleton rule. */
export function singleton(collection: Collection, operation: string): unknown {
  if (Array.isArray(collection)) {
    throw new FhirPathEvaluationError(
      `${operation} needs at most one item but got ${collection.length}`,
    );
  }
  return collection;
}

/**
 * Evaluate a collection as a Boolean, as FHIRPath does for `and`, `where` criteria and
 * `iif`: empty stays empty (undefined), one Boolean is itself, one item of another type
 * is true, and several items are an error.
 */
export function toBoolean(collection: Collection, operation: string): boolean | undefined {
  const item = singleton(collection, operation);
  if (item === undefined) return undefined;
  return typeof item === 'boolean' ? item : true;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
