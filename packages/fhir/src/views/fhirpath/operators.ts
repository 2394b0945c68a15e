import type { BinaryNode } from './ast';
import {
  count,
  fromArray,
  itemAt,
  singleton,
  toBoolean,
  type Collection,
  type EvaluationEnv,
} from './collection';
import type { Compiled } from './compiled';
import { collectionsEqual, collectionsEquivalent, compareItems, itemsEqual } from './compare';
import { FhirPathCompileError, FhirPathEvaluationError } from './errors';
import {
  BOOLEAN_TYPE,
  DECIMAL_TYPE,
  INTEGER_TYPE,
  isIntegerTypeCode,
  isTemporalType,
  STRING_TYPE,
  singleTypeCode,
  unionTypes,
  UNKNOWN_TYPE,
  type StaticType,
} from './types';

type Evaluate = Compiled['evaluate'];
type Combine = (left: Evaluate, right: Evaluate) => Evaluate;

const CONSTANT_ENV: EvaluationEnv = { resource: undefined, rowIndex: 0, index: 0 };

/** Compile a binary operator; when both operands are constant, the result is computed once here. */
export function compileBinary(node: BinaryNode, left: Compiled, right: Compiled): Compiled {
  const { combine, type } = operatorFor(node, left.type, right.type);
  const evaluate = combine(left.evaluate, right.evaluate);
  if (!left.constant || !right.constant) return { evaluate, type };
  try {
    const value = evaluate(undefined, CONSTANT_ENV);
    return { evaluate: () => value, type, constant: { value } };
  } catch (error) {
    if (error instanceof FhirPathEvaluationError)
      throw new FhirPathCompileError(error.message, node.offset);
    throw error;
  }
}

function operatorFor(
  node: BinaryNode,
  leftType: StaticType,
  rightType: StaticType,
): { combine: Combine; type: StaticType } {
  const temporal = isTemporalType(leftType) || isTemporalType(rightType);
  switch (node.operator) {
    case 'and':
      return { combine: and, type: BOOLEAN_TYPE };
    case 'or':
      return { combine: or, type: BOOLEAN_TYPE };
    case 'xor':
      return { combine: xor, type: BOOLEAN_TYPE };
    case 'implies':
      return { combine: implies, type: BOOLEAN_TYPE };
    case '=':
      return { combine: both((l, r) => collectionsEqual(l, r, temporal)), type: BOOLEAN_TYPE };
    case '!=':
      return {
        combine: both((l, r) => negate(collectionsEqual(l, r, temporal))),
        type: BOOLEAN_TYPE,
      };
    case '~':
      return { combine: both((l, r) => collectionsEquivalent(l, r, temporal)), type: BOOLEAN_TYPE };
    case '!~':
      return {
        combine: both((l, r) => !collectionsEquivalent(l, r, temporal)),
        type: BOOLEAN_TYPE,
      };
    case '<':
      return {
        combine: comparison(node.operator, temporal, (order) => order < 0),
        type: BOOLEAN_TYPE,
      };
    case '<=':
      return {
        combine: comparison(node.operator, temporal, (order) => order <= 0),
        type: BOOLEAN_TYPE,
      };
    case '>':
      return {
        combine: comparison(node.operator, temporal, (order) => order > 0),
        type: BOOLEAN_TYPE,
      };
    case '>=':
      return {
        combine: comparison(node.operator, temporal, (order) => order >= 0),
        type: BOOLEAN_TYPE,
      };
    case '|':
      return { combine: both((l, r) => union(l, r)), type: unionTypes(leftType, rightType) };
    case 'in':
      return { combine: both((l, r) => membership(l, r, temporal, 'in')), type: BOOLEAN_TYPE };
    case 'contains':
      return {
        combine: both((l, r) => membership(r, l, temporal, 'contains')),
        type: BOOLEAN_TYPE,
      };
    case '&':
      return { combine: both((l, r) => concatenate(l, r)), type: STRING_TYPE };
    default:
      return arithmetic(node, leftType, rightType);
  }
}

function both(operate: (left: Collection, right: Collection) => Collection): Combine {
  return (left, right) => (item, env) => operate(left(item, env), right(item, env));
}

function negate(value: boolean | undefined): boolean | undefined {
  return value === undefined ? undefined : !value;
}

const and: Combine = (left, right) => (item, env) => {
  const a = toBoolean(left(item, env), 'and');
  if (a === false) return false;
  const b = toBoolean(right(item, env), 'and');
  if (b === false) return false;
  return a === true && b === true ? true : undefined;
};

const or: Combine = (left, right) => (item, env) => {
  const a = toBoolean(left(item, env), 'or');
  if (a === true) return true;
  const b = toBoolean(right(item, env), 'or');
  if (b === true) return true;
  return a === false && b === false ? false : undefined;
};

const xor: Combine = (left, right) => (item, env) => {
  const a = toBoolean(left(item, env), 'xor');
  const b = toBoolean(right(item, env), 'xor');
  return a === undefined || b === undefined ? undefined : a !== b;
};

const implies: Combine = (left, right) => (item, env) => {
  const a = toBoolean(left(item, env), 'implies');
  if (a === false) return true;
  const b = toBoolean(right(item, env), 'implies');
  if (a === true) return b;
  return b === true ? true : undefined;
};

function comparison(
  operator: string,
  temporal: boolean,
  test: (order: number) => boolean,
): Combine {
  return both((left, right) => {
    const a = singleton(left, operator);
    const b = singleton(right, operator);
    if (a === undefined || b === undefined) return undefined;
    const order = compareItems(a, b, temporal);
    return order === undefined ? undefined : test(order);
  });
}

/** `|`: the items of both sides without duplicates, in order of first appearance. */
function union(left: Collection, right: Collection): Collection {
  const items: unknown[] = [];
  const addDistinct = (collection: Collection): void => {
    for (let index = 0; index < count(collection); index++) {
      const item = itemAt(collection, index);
      if (!items.some((kept) => itemsEqual(kept, item, false) === true)) items.push(item);
    }
  };
  addDistinct(left);
  addDistinct(right);
  return fromArray(items);
}

function membership(
  element: Collection,
  collection: Collection,
  temporal: boolean,
  operator: string,
): Collection {
  const item = singleton(element, operator);
  if (item === undefined) return undefined;
  for (let index = 0; index < count(collection); index++) {
    if (itemsEqual(item, itemAt(collection, index), temporal) === true) return true;
  }
  return false;
}

function concatenate(left: Collection, right: Collection): string {
  const a = singleton(left, '&');
  const b = singleton(right, '&');
  return `${a === undefined ? '' : asText(a, '&')}${b === undefined ? '' : asText(b, '&')}`;
}

function asText(value: unknown, operator: string): string {
  if (typeof value !== 'string') throw new FhirPathEvaluationError(`${operator} needs strings`);
  return value;
}

function arithmetic(
  node: BinaryNode,
  leftType: StaticType,
  rightType: StaticType,
): { combine: Combine; type: StaticType } {
  const operator = node.operator;
  const unsupported = [leftType, rightType].some(
    (type) => isTemporalType(type) || type.types.some((candidate) => candidate.code === 'Quantity'),
  );
  if (unsupported) {
    throw new FhirPathCompileError(
      `arithmetic (${operator}) on dates, times and quantities is not supported`,
      node.offset,
    );
  }
  const leftCode = singleTypeCode(leftType);
  const rightCode = singleTypeCode(rightType);
  const integers =
    leftCode !== undefined &&
    rightCode !== undefined &&
    isIntegerTypeCode(leftCode) &&
    isIntegerTypeCode(rightCode);
  let type: StaticType = UNKNOWN_TYPE;
  if (operator === '/') type = DECIMAL_TYPE;
  else if (integers) type = INTEGER_TYPE;
  else if (leftCode === 'decimal' || rightCode === 'decimal') type = DECIMAL_TYPE;
  else if (operator === '+' && leftCode === 'string' && rightCode === 'string') type = STRING_TYPE;

  const combine: Combine = both((left, right) => {
    const a = singleton(left, operator);
    const b = singleton(right, operator);
    if (a === undefined || b === undefined) return undefined;
    if (operator === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    if (typeof a !== 'number' || typeof b !== 'number') {
      throw new FhirPathEvaluationError(`${operator} needs two numbers`);
    }
    return calculate(operator, a, b);
  });
  return { combine, type };
}

function calculate(operator: string, a: number, b: number): number | undefined {
  switch (operator) {
    case '+':
      return roundDecimal(a + b);
    case '-':
      return roundDecimal(a - b);
    case '*':
      return roundDecimal(a * b);
    case '/':
      return b === 0 ? undefined : roundDecimal(a / b);
    case 'div':
      return b === 0 ? undefined : Math.trunc(a / b);
    case 'mod':
      return b === 0 ? undefined : roundDecimal(a % b);
  }
  throw new FhirPathEvaluationError(`unknown operator ${operator}`);
}

/**
 * Drop the binary floating-point noise of a decimal result (0.1 + 0.2 gives 0.3, not
 * 0.30000000000000004) by keeping 15 significant digits, which a double represents exactly.
 */
function roundDecimal(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(15));
}
