import {
  count,
  fromArray,
  isObject,
  itemAt,
  singleton,
  type Collection,
  type EvaluationEnv,
} from './collection';
import type { Compiled, FunctionContext, FunctionDefinition } from './compiled';
import { FhirPathCompileError, FhirPathEvaluationError } from './errors';
import { BOOLEAN_TYPE, DECIMAL_TYPE, INTEGER_TYPE, STRING_TYPE, type StaticType } from './types';

type Argument = (item: unknown, env: EvaluationEnv) => unknown;

/**
 * The FHIRPath string, conversion and math functions (FHIRPath N1, sections 5.5 to 5.7),
 * and `join`, which SQL-on-FHIR adds from FHIRPath 3.0. String functions take one
 * string and return empty for an empty input.
 */
export const STRING_FUNCTIONS: Record<string, FunctionDefinition> = {
  startsWith: stringFunction(1, BOOLEAN_TYPE, (text, [prefix]) =>
    text.startsWith(asString(prefix, 'startsWith()')),
  ),
  endsWith: stringFunction(1, BOOLEAN_TYPE, (text, [suffix]) =>
    text.endsWith(asString(suffix, 'endsWith()')),
  ),
  contains: stringFunction(1, BOOLEAN_TYPE, (text, [part]) =>
    text.includes(asString(part, 'contains()')),
  ),
  indexOf: stringFunction(1, INTEGER_TYPE, (text, [part]) =>
    text.indexOf(asString(part, 'indexOf()')),
  ),
  upper: stringFunction(0, STRING_TYPE, (text) => text.toUpperCase()),
  lower: stringFunction(0, STRING_TYPE, (text) => text.toLowerCase()),
  trim: stringFunction(0, STRING_TYPE, (text) => text.trim()),
  length: stringFunction(0, INTEGER_TYPE, (text) => text.length),
  toChars: stringFunction(0, STRING_TYPE, (text) => fromArray([...text])),
  replace: stringFunction(2, STRING_TYPE, (text, [pattern, substitution]) =>
    text.split(asString(pattern, 'replace()')).join(asString(substitution, 'replace()')),
  ),
  split: stringFunction(1, STRING_TYPE, (text, [separator]) =>
    fromArray(text.split(asString(separator, 'split()'))),
  ),
  substring: {
    minArgs: 1,
    maxArgs: 2,
    compile: (context) =>
      stringCall(context, STRING_TYPE, (text, [start, length]) => {
        const from = asInteger(start, 'substring()');
        if (from < 0 || from >= text.length) return undefined;
        return length === undefined
          ? text.slice(from)
          : text.slice(from, from + Math.max(0, asInteger(length, 'substring()')));
      }),
  },
  matches: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => {
      const pattern = context.compileArgument(context.arg(0));
      const fixed =
        typeof pattern.constant?.value === 'string'
          ? compileRegex(pattern.constant.value, context)
          : undefined;
      return stringCall(context, BOOLEAN_TYPE, (text, [source]) =>
        (fixed ?? new RegExp(asString(source, 'matches()'), 'u')).test(text),
      );
    },
  },
  join: {
    minArgs: 0,
    maxArgs: 1,
    compile: (context) => {
      const separator = context.args[0]
        ? context.compileArgument(context.args[0]).evaluate
        : undefined;
      const evaluate = context.input.evaluate;
      return {
        evaluate: (item, env) => {
          const glue = separator ? singleton(separator(item, env), 'join()') : '';
          const items = evaluate(item, env);
          const parts: string[] = [];
          for (let index = 0; index < count(items); index++)
            parts.push(toText(itemAt(items, index), 'join()'));
          return parts.join(glue === undefined ? '' : asString(glue, 'join()'));
        },
        type: STRING_TYPE,
      };
    },
  },
  toString: conversion(STRING_TYPE, (value) =>
    isObject(value) ? quantityText(value) : String(value),
  ),
  toInteger: conversion(INTEGER_TYPE, toInteger),
  toDecimal: conversion(DECIMAL_TYPE, toDecimal),
  toBoolean: conversion(BOOLEAN_TYPE, toBooleanValue),
  abs: numberFunction((value) => Math.abs(value)),
  ceiling: numberFunction((value) => Math.ceil(value)),
  floor: numberFunction((value) => Math.floor(value)),
  truncate: numberFunction((value) => Math.trunc(value)),
  round: {
    minArgs: 0,
    maxArgs: 1,
    compile: (context) => {
      const digits = context.args[0]
        ? context.compileArgument(context.args[0]).evaluate
        : undefined;
      const evaluate = context.input.evaluate;
      return {
        evaluate: (item, env) => {
          const value = singleton(evaluate(item, env), 'round()');
          if (value === undefined) return undefined;
          const places = digits ? asInteger(singleton(digits(item, env), 'round()'), 'round()') : 0;
          return Number(asNumber(value, 'round()').toFixed(places));
        },
        type: context.input.type,
      };
    },
  },
};

function stringFunction(
  argCount: number,
  type: StaticType,
  operate: (text: string, args: unknown[]) => Collection,
): FunctionDefinition {
  return {
    minArgs: argCount,
    maxArgs: argCount,
    compile: (context) => stringCall(context, type, operate),
  };
}

/** Evaluate the arguments against the outer focus; an empty argument makes the result empty. */
function stringCall(
  context: FunctionContext,
  type: StaticType,
  operate: (text: string, args: unknown[]) => Collection,
): Compiled {
  const name = `${context.name}()`;
  const args: Argument[] = context.args.map((argument) => {
    const evaluate = context.compileArgument(argument).evaluate;
    return (item, env) => singleton(evaluate(item, env), name);
  });
  const evaluate = context.input.evaluate;
  return {
    evaluate: (item, env) => {
      const input = singleton(evaluate(item, env), name);
      if (input === undefined) return undefined;
      const values = args.map((argument) => argument(item, env));
      if (values.some((value) => value === undefined)) return undefined;
      return operate(asString(input, name), values);
    },
    type,
  };
}

function conversion(type: StaticType, convert: (value: unknown) => unknown): FunctionDefinition {
  return {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) => {
      const evaluate = context.input.evaluate;
      const name = `${context.name}()`;
      return {
        evaluate: (item, env) => {
          const value = singleton(evaluate(item, env), name);
          return value === undefined ? undefined : convert(value);
        },
        type,
      };
    },
  };
}

function numberFunction(operate: (value: number) => number): FunctionDefinition {
  return {
    minArgs: 0,
    maxArgs: 0,
    compile: (context) => {
      const evaluate = context.input.evaluate;
      const name = `${context.name}()`;
      return {
        evaluate: (item, env) => {
          const value = singleton(evaluate(item, env), name);
          return value === undefined ? undefined : operate(asNumber(value, name));
        },
        type: context.input.type,
      };
    },
  };
}

function compileRegex(source: string, context: FunctionContext): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    throw new FhirPathCompileError(
      'invalid regular expression in matches()',
      context.arg(0).offset,
    );
  }
}

function asString(value: unknown, operation: string): string {
  if (typeof value !== 'string') throw new FhirPathEvaluationError(`${operation} needs a string`);
  return value;
}

function asNumber(value: unknown, operation: string): number {
  if (typeof value !== 'number') throw new FhirPathEvaluationError(`${operation} needs a number`);
  return value;
}

function asInteger(value: unknown, operation: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new FhirPathEvaluationError(`${operation} needs an integer`);
  return value;
}

function toText(value: unknown, operation: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new FhirPathEvaluationError(`${operation} needs strings`);
}

function quantityText(value: Record<string, unknown>): string | undefined {
  if (typeof value.value !== 'number') return undefined;
  const unit = value.code ?? value.unit;
  return unit === undefined ? String(value.value) : `${value.value} '${String(unit)}'`;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) return Number(value);
  return undefined;
}

function toDecimal(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function toBooleanValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1) return true;
    if (value === 0) return false;
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.toLowerCase();
  if (['true', 't', 'yes', 'y', '1', '1.0'].includes(text)) return true;
  if (['false', 'f', 'no', 'n', '0', '0.0'].includes(text)) return false;
  return undefined;
}
