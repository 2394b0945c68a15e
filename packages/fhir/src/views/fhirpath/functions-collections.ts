import {
  count,
  fromArray,
  isObject,
  itemAt,
  pushAll,
  singleton,
  toBoolean,
  type Collection,
  type EvaluationEnv,
  type ItemEvaluator,
} from './collection';
import type { Compiled, FunctionContext, FunctionDefinition } from './compiled';
import { itemsEqual } from './compare';
import { FhirPathEvaluationError } from './errors';
import { firstOfChain } from './path-walk';
import { BOOLEAN_TYPE, INTEGER_TYPE, unionTypes, UNKNOWN_TYPE } from './types';

/**
 * The FHIRPath functions on collections: existence, filtering and projection,
 * subsetting, combining, and Boolean logic (FHIRPath N1, sections 5.1 to 5.4 and 6.5).
 */
export const COLLECTION_FUNCTIONS: Record<string, FunctionDefinition> = {
  empty: { minArgs: 0, maxArgs: 0, compile: (context) => existence(context, false) },
  exists: { minArgs: 0, maxArgs: 1, compile: (context) => existence(context, true) },
  all: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => {
      const criteria = context.compileLambda(context.arg(0), context.input.type).evaluate;
      return booleanOf(context.input.evaluate, (items, env) =>
        everyItem(items, env, criteria, 'all'),
      );
    },
  },
  allTrue: {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) =>
      booleanOf(context.input.evaluate, (items) => allItems(items, (item) => item === true)),
  },
  anyTrue: {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) =>
      booleanOf(context.input.evaluate, (items) => anyItem(items, (item) => item === true)),
  },
  allFalse: {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) =>
      booleanOf(context.input.evaluate, (items) => allItems(items, (item) => item === false)),
  },
  anyFalse: {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) =>
      booleanOf(context.input.evaluate, (items) => anyItem(items, (item) => item === false)),
  },
  count: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return { evaluate: (item, env) => count(evaluate(item, env)), type: INTEGER_TYPE };
    },
  },
  distinct: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return {
        evaluate: (item, env) => fromArray(distinctItems(evaluate(item, env))),
        type: input.type,
      };
    },
  },
  isDistinct: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return booleanOf(evaluate, (items) => distinctItems(items).length === count(items));
    },
  },
  hasValue: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) =>
      booleanOf(input.evaluate, (items) => {
        const item = singleton(items, 'hasValue()');
        return item !== undefined && !isObject(item);
      }),
  },
  not: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return {
        evaluate: (item, env) => {
          const value = toBoolean(evaluate(item, env), 'not()');
          return value === undefined ? undefined : !value;
        },
        type: BOOLEAN_TYPE,
      };
    },
  },
  where: {
    minArgs: 1,
    maxArgs: 1,
    compile: ({ input, arg, compileLambda }) => {
      const criteria = compileLambda(arg(0), input.type).evaluate;
      const evaluate = input.evaluate;
      return {
        evaluate: (item, env) =>
          filterItems(
            evaluate(item, env),
            env,
            (element, inner) => toBoolean(criteria(element, inner), 'where()') === true,
          ),
        type: input.type,
      };
    },
  },
  select: {
    minArgs: 1,
    maxArgs: 1,
    compile: ({ input, arg, compileLambda }) => {
      const projection = compileLambda(arg(0), input.type);
      const evaluate = input.evaluate;
      const project = projection.evaluate;
      return {
        evaluate: (item, env) => projectItems(evaluate(item, env), env, project),
        type: projection.type,
      };
    },
  },
  repeat: {
    minArgs: 1,
    maxArgs: 1,
    compile: ({ input, arg, compileLambda }) => {
      const projection = compileLambda(arg(0), input.type);
      const evaluate = input.evaluate;
      const project = projection.evaluate;
      return {
        evaluate: (item, env) => repeatItems(evaluate(item, env), env, project),
        type: projection.type,
      };
    },
  },
  first: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input, isChoiceSuffix }) => {
      if (input.chain) return firstOfChain(input, isChoiceSuffix);
      const evaluate = input.evaluate;
      return { evaluate: (item, env) => itemAt(evaluate(item, env), 0), type: input.type };
    },
  },
  last: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return {
        evaluate: (item, env) => {
          const items = evaluate(item, env);
          return itemAt(items, count(items) - 1);
        },
        type: input.type,
      };
    },
  },
  tail: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) =>
      slice(
        input,
        () => 1,
        () => undefined,
      ),
  },
  skip: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => {
      const amount = integerArgument(context, 0);
      return slice(
        context.input,
        (item, env) => Math.max(0, amount(item, env) ?? 0),
        () => undefined,
      );
    },
  },
  take: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => {
      const amount = integerArgument(context, 0);
      return slice(
        context.input,
        () => 0,
        (item, env) => Math.max(0, amount(item, env) ?? 0),
      );
    },
  },
  single: {
    minArgs: 0,
    maxArgs: 0,
    compile: ({ input }) => {
      const evaluate = input.evaluate;
      return {
        evaluate: (item, env) => singleton(evaluate(item, env), 'single()'),
        type: input.type,
      };
    },
  },
  union: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => combineWith(context, (left, right) => distinctItems(concat(left, right))),
  },
  combine: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => combineWith(context, (left, right) => concat(left, right)),
  },
  intersect: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) =>
      combineWith(context, (left, right) =>
        distinctItems(left).filter((item) => contains(right, item)),
      ),
  },
  exclude: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) =>
      combineWith(context, (left, right) =>
        listItems(left).filter((item) => !contains(right, item)),
      ),
  },
  iif: {
    minArgs: 2,
    maxArgs: 3,
    compile: ({ args, arg, compileArgument }) => {
      const criterion = compileArgument(arg(0)).evaluate;
      const whenTrue = compileArgument(arg(1));
      const otherwise = args[2] ? compileArgument(args[2]) : undefined;
      const evaluateTrue = whenTrue.evaluate;
      const evaluateOtherwise = otherwise?.evaluate;
      return {
        evaluate: (item, env) => {
          if (toBoolean(criterion(item, env), 'iif()') === true) return evaluateTrue(item, env);
          return evaluateOtherwise ? evaluateOtherwise(item, env) : undefined;
        },
        type: otherwise ? unionTypes(whenTrue.type, otherwise.type) : whenTrue.type,
      };
    },
  },
};

/** `empty()`, `exists()` and `exists(criteria)`; a plain path stops at its first item. */
function existence(context: FunctionContext, exists: boolean): Compiled {
  const { input, args } = context;
  let findAny: ItemEvaluator;
  if (args[0]) {
    const criteria = context.compileLambda(args[0], input.type).evaluate;
    const evaluate = input.evaluate;
    findAny = (item, env) =>
      anyItemWithIndex(
        evaluate(item, env),
        env,
        (element, inner) => toBoolean(criteria(element, inner), 'exists()') === true,
      );
  } else if (input.chain) {
    const first = firstOfChain(input, context.isChoiceSuffix).evaluate;
    findAny = (item, env) => first(item, env) !== undefined;
  } else {
    const evaluate = input.evaluate;
    findAny = (item, env) => evaluate(item, env) !== undefined;
  }
  return { evaluate: exists ? findAny : (item, env) => !findAny(item, env), type: BOOLEAN_TYPE };
}

function booleanOf(
  evaluate: ItemEvaluator,
  test: (items: Collection, env: EvaluationEnv) => boolean,
): Compiled {
  return { evaluate: (item, env) => test(evaluate(item, env), env), type: BOOLEAN_TYPE };
}

function listItems(collection: Collection): unknown[] {
  if (collection === undefined) return [];
  return Array.isArray(collection) ? [...collection] : [collection];
}

function allItems(collection: Collection, test: (item: unknown) => boolean): boolean {
  return listItems(collection).every(test);
}

function anyItem(collection: Collection, test: (item: unknown) => boolean): boolean {
  return listItems(collection).some(test);
}

/** Run `visit` on each item with `$index` set, restoring the outer `$index` after. */
function withIndex(
  collection: Collection,
  env: EvaluationEnv,
  visit: (item: unknown) => boolean | void,
): void {
  const saved = env.index;
  try {
    for (let index = 0; index < count(collection); index++) {
      env.index = index;
      if (visit(itemAt(collection, index)) === false) return;
    }
  } finally {
    env.index = saved;
  }
}

function everyItem(
  collection: Collection,
  env: EvaluationEnv,
  criteria: ItemEvaluator,
  name: string,
): boolean {
  let result = true;
  withIndex(collection, env, (item) => {
    if (toBoolean(criteria(item, env), `${name}()`) !== true) result = false;
    return result;
  });
  return result;
}

function anyItemWithIndex(
  collection: Collection,
  env: EvaluationEnv,
  test: (item: unknown, env: EvaluationEnv) => boolean,
): boolean {
  let found = false;
  withIndex(collection, env, (item) => {
    found = test(item, env);
    return !found;
  });
  return found;
}

function filterItems(
  collection: Collection,
  env: EvaluationEnv,
  test: (item: unknown, env: EvaluationEnv) => boolean,
): Collection {
  if (collection === undefined) return undefined;
  const matching: unknown[] = [];
  withIndex(collection, env, (item) => {
    if (test(item, env)) matching.push(item);
  });
  return fromArray(matching);
}

function projectItems(
  collection: Collection,
  env: EvaluationEnv,
  project: ItemEvaluator,
): Collection {
  if (collection === undefined) return undefined;
  const out: unknown[] = [];
  withIndex(collection, env, (item) => pushAll(out, project(item, env)));
  return fromArray(out);
}

/**
 * `repeat(projection)`: apply the projection to the input, then to its results, until no
 * new items appear. Items already seen (the same object, or an equal primitive) are not
 * added again, which also ends cycles.
 */
function repeatItems(
  collection: Collection,
  env: EvaluationEnv,
  project: ItemEvaluator,
): Collection {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  let frontier = listItems(collection);
  while (frontier.length > 0) {
    const next: unknown[] = [];
    for (const item of frontier) {
      const results = project(item, env);
      for (let index = 0; index < count(results); index++) {
        const result = itemAt(results, index);
        if (seen.has(result)) continue;
        seen.add(result);
        out.push(result);
        next.push(result);
      }
    }
    frontier = next;
  }
  return fromArray(out);
}

function slice(
  input: Compiled,
  start: (item: unknown, env: EvaluationEnv) => number,
  length: (item: unknown, env: EvaluationEnv) => number | undefined,
): Compiled {
  const evaluate = input.evaluate;
  return {
    evaluate: (item, env) => {
      const from = start(item, env);
      const size = length(item, env);
      const items = listItems(evaluate(item, env));
      return fromArray(items.slice(from, size === undefined ? undefined : from + size));
    },
    type: input.type,
  };
}

function integerArgument(
  context: FunctionContext,
  position: number,
): (item: unknown, env: EvaluationEnv) => number | undefined {
  const evaluate = context.compileArgument(context.arg(position)).evaluate;
  return (item, env) => {
    const value = singleton(evaluate(item, env), `${context.name}()`);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new FhirPathEvaluationError(`${context.name}() needs an integer argument`);
    }
    return value;
  };
}

function combineWith(
  context: FunctionContext,
  operate: (left: Collection, right: Collection) => unknown[],
): Compiled {
  const other = context.compileArgument(context.arg(0));
  const evaluate = context.input.evaluate;
  const evaluateOther = other.evaluate;
  const type =
    context.input.type.types.length > 0 ? unionTypes(context.input.type, other.type) : UNKNOWN_TYPE;
  return {
    evaluate: (item, env) => fromArray(operate(evaluate(item, env), evaluateOther(item, env))),
    type,
  };
}

function concat(left: Collection, right: Collection): unknown[] {
  const out: unknown[] = [];
  pushAll(out, left);
  pushAll(out, right);
  return out;
}

function contains(collection: Collection, item: unknown): boolean {
  for (let index = 0; index < count(collection); index++) {
    if (itemsEqual(itemAt(collection, index), item, false) === true) return true;
  }
  return false;
}

function distinctItems(collection: Collection): unknown[] {
  const distinct: unknown[] = [];
  for (let index = 0; index < count(collection); index++) {
    const item = itemAt(collection, index);
    if (!contains(distinct, item)) distinct.push(item);
  }
  return distinct;
}
