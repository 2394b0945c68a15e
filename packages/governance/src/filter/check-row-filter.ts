import type { ColumnType } from '@carelake/core';
import type { GovernedColumn, GovernedTable } from '../policy/governed-table';
import { qualifiedName } from '../policy/governed-table';
import { visitLeaves, type FilterLiteral, type FilterNode } from './syntax-tree';

/** Column types Lake Formation row filters compare; DATE and TIMESTAMP are not among them. */
const FILTERABLE_TYPES: ReadonlySet<ColumnType> = new Set(['string', 'int', 'bigint', 'double', 'boolean']);

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * Check a parsed filter against the table it filters: every column exists, is of a type Lake
 * Formation row filters support, is compared with constants of its own type, and is not a
 * partition column under IS [NOT] NULL. Returns one message per problem.
 */
export function checkRowFilter(tree: FilterNode, table: GovernedTable): string[] {
  const columns = new Map(table.columns.map((column) => [column.name, column]));
  const problems: string[] = [];

  visitLeaves(tree, (leaf) => {
    const column = columns.get(leaf.column);
    if (column === undefined) {
      problems.push(`column "${leaf.column}" is not a column of ${qualifiedName(table)}${suggestion(leaf.column, [...columns.keys()])}`);
      return;
    }
    if (!FILTERABLE_TYPES.has(column.type)) {
      problems.push(
        `column "${column.name}" is of type ${column.type}: Lake Formation row filters compare only STRING, numeric and BOOLEAN columns`,
      );
      return;
    }
    switch (leaf.kind) {
      case 'comparison':
        problems.push(...literalProblems(column, [leaf.value]));
        return;
      case 'in':
        problems.push(...literalProblems(column, leaf.values));
        return;
      case 'between':
        problems.push(...literalProblems(column, [leaf.low, leaf.high]));
        return;
      case 'like':
        if (column.type !== 'string') problems.push(`LIKE needs a string column, but "${column.name}" is of type ${column.type}`);
        return;
      case 'isNull':
        if (column.partition) {
          problems.push(`IS ${leaf.negated ? 'NOT ' : ''}NULL is not allowed on partition column "${column.name}" (a Lake Formation restriction)`);
        }
        return;
    }
  });
  return [...new Set(problems)];
}

function literalProblems(column: GovernedColumn, literals: readonly FilterLiteral[]): string[] {
  const problems: string[] = [];
  for (const literal of literals) {
    const problem = literalProblem(column, literal);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

function literalProblem(column: GovernedColumn, literal: FilterLiteral): string | undefined {
  const expected = { string: 'a string constant', boolean: 'TRUE or FALSE', number: 'a number' } as const;
  let expectedKind: keyof typeof expected = 'number';
  if (column.type === 'string') expectedKind = 'string';
  else if (column.type === 'boolean') expectedKind = 'boolean';
  if (literal.kind !== expectedKind) {
    return `column "${column.name}" is of type ${column.type} and must be compared with ${expected[expectedKind]}, found ${expected[literal.kind]}`;
  }
  if (literal.kind !== 'number') return undefined;

  const integral = /^-?\d+$/.test(literal.text);
  if (column.type === 'int' || column.type === 'bigint') {
    if (!integral) return `column "${column.name}" is of type ${column.type} and must be compared with a whole number, found ${literal.text}`;
    const value = BigInt(literal.text);
    const [min, max] = column.type === 'int' ? [INT_MIN, INT_MAX] : [BIGINT_MIN, BIGINT_MAX];
    if (value < min || value > max) return `${literal.text} is out of range for column "${column.name}" of type ${column.type}`;
  }
  return undefined;
}

/** Suggest the closest column name when one is at most two edits away. */
function suggestion(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
