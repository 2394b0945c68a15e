import { fromArray, fromJson, pushAll, type Collection, type ItemEvaluator } from './collection';
import type { Compiled, PathStep } from './compiled';

/** Reads one step's JSON value from an object item. */
type StepReader = (item: Record<string, unknown>) => unknown;

/** Walks steps from one item and returns the collection at the end. */
export type Walker = (item: unknown) => Collection;

/**
 * Compile member steps into a walker over plain JSON. Single-valued elements are
 * followed without allocating; an array is allocated only where an element repeats.
 * `isChoiceSuffix` returns whether the rest of a JSON key after an element name is a
 * type name, for steps whose element the model does not define.
 */
export function compileWalker(
  steps: readonly PathStep[],
  isChoiceSuffix: (suffix: string) => boolean,
): Walker {
  const readers = steps.map((step) => stepReader(step, isChoiceSuffix));
  if (readers.length === 0) return (item) => item;
  if (readers.length === 1) {
    const read = readers[0] as StepReader;
    return (item) =>
      typeof item === 'object' && item !== null
        ? fromJson(read(item as Record<string, unknown>))
        : undefined;
  }
  return (item) => walk(item, readers, 0);
}

/** Compile member steps into a function that returns only the first item, stopping there. */
export function compileFirstWalker(
  steps: readonly PathStep[],
  isChoiceSuffix: (suffix: string) => boolean,
): (item: unknown) => unknown {
  const readers = steps.map((step) => stepReader(step, isChoiceSuffix));
  return (item) => walkFirst(item, readers, 0);
}

/** Apply a walker to every item of a collection. */
export function walkEach(input: Collection, walker: Walker): Collection {
  if (input === undefined) return undefined;
  if (!Array.isArray(input)) return walker(input);
  const out: unknown[] = [];
  for (const item of input) pushAll(out, walker(item));
  return fromArray(out);
}

/** Evaluate `steps` from every item of `base`, or from the focus when `base` is undefined. */
export function chainEvaluator(
  base: ItemEvaluator | undefined,
  steps: readonly PathStep[],
  isChoiceSuffix: (suffix: string) => boolean,
): ItemEvaluator {
  const walker = compileWalker(steps, isChoiceSuffix);
  if (!base) return (focus) => walker(focus);
  if (steps.length === 0) return base;
  return (focus, env) => walkEach(base(focus, env), walker);
}

function walk(item: unknown, readers: readonly StepReader[], depth: number): Collection {
  let current = item;
  for (let index = depth; index < readers.length; index++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const next = (readers[index] as StepReader)(current as Record<string, unknown>);
    if (next === undefined || next === null) return undefined;
    if (Array.isArray(next)) {
      if (index === readers.length - 1) return fromJson(next);
      const out: unknown[] = [];
      for (const element of next) {
        if (element !== null && element !== undefined)
          pushAll(out, walk(element, readers, index + 1));
      }
      return fromArray(out);
    }
    current = next;
  }
  return current;
}

function walkFirst(item: unknown, readers: readonly StepReader[], depth: number): unknown {
  let current = item;
  for (let index = depth; index < readers.length; index++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const next = (readers[index] as StepReader)(current as Record<string, unknown>);
    if (next === undefined || next === null) return undefined;
    if (Array.isArray(next)) {
      for (const element of next) {
        if (element === null || element === undefined) continue;
        const found = walkFirst(element, readers, index + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    current = next;
  }
  return current;
}

function stepReader(step: PathStep, isChoiceSuffix: (suffix: string) => boolean): StepReader {
  if (step.dynamic) {
    const name = step.name;
    return (item) =>
      Object.hasOwn(item, name) ? item[name] : readChoice(item, name, isChoiceSuffix);
  }
  const [first, ...others] = step.keys;
  if (others.length === 0) {
    const key = first as string;
    return (item) => item[key];
  }
  const keys = step.keys;
  return (item) => {
    for (const key of keys) {
      const value = item[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

/** Find a choice element's value by scanning for `name` followed by a type name. */
function readChoice(
  item: Record<string, unknown>,
  name: string,
  isChoiceSuffix: (suffix: string) => boolean,
): unknown {
  for (const key of Object.keys(item)) {
    if (key.length > name.length && key.startsWith(name) && isChoiceSuffix(key.slice(name.length)))
      return item[key];
  }
  return undefined;
}

/** `chain.first()` without building the collection. */
export function firstOfChain(
  target: Compiled,
  isChoiceSuffix: (suffix: string) => boolean,
): Compiled {
  const chain = target.chain as NonNullable<Compiled['chain']>;
  const walkFirst = compileFirstWalker(chain.steps, isChoiceSuffix);
  const base = chain.base;
  if (!base) return { evaluate: (item) => walkFirst(item), type: target.type };
  return {
    evaluate: (item, env) => {
      const input = base(item, env);
      if (!Array.isArray(input)) return input === undefined ? undefined : walkFirst(input);
      for (const element of input) {
        const found = walkFirst(element);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    type: target.type,
  };
}
