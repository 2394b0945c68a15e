import type { ColumnType } from '@carelake/core';
import fc from 'fast-check';
import { COMPARISON_OPERATORS, type FilterLiteral, type FilterNode } from '../syntax-tree';

/** Columns of the generated filters: one per filterable type, plus names that need quoting. */
export const FILTER_COLUMNS: ReadonlyArray<{ name: string; type: ColumnType }> = [
  { name: 'facility', type: 'string' },
  { name: 'select', type: 'string' },
  { name: 'Source "System"', type: 'string' },
  { name: 'visit_count', type: 'int' },
  { name: 'source_position', type: 'bigint' },
  { name: 'score', type: 'double' },
  { name: 'is_deleted', type: 'boolean' },
];

/** Strings that break naive quoting, mixed with arbitrary text. */
const tricky = fc.oneof(
  fc.constantFrom("'", "''", "O'Brien", '"', '\\', '\\%', '%', '_', "a'; DROP TABLE t; --", 'ÄÖ✓', ''),
  fc.string({ maxLength: 8 }),
);

function literalFor(type: ColumnType): fc.Arbitrary<FilterLiteral> {
  switch (type) {
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({ kind: 'number', text: String(value) }));
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ kind: 'number', text: value.toString() }));
    case 'double':
      return fc
        .tuple(fc.integer({ min: -999, max: 999 }), fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }))
        .map(([whole, fraction]) => ({ kind: 'number', text: fraction === undefined ? String(whole) : `${whole}.${fraction}` }));
    case 'boolean':
      return fc.boolean().map((value) => ({ kind: 'boolean', value }));
    default:
      return tricky.map((value) => ({ kind: 'string', value }));
  }
}

const leaf: fc.Arbitrary<FilterNode> = fc.constantFrom(...FILTER_COLUMNS).chain(({ name, type }) => {
  const literal = literalFor(type);
  const options: Array<fc.Arbitrary<FilterNode>> = [
    fc.tuple(fc.constantFrom(...COMPARISON_OPERATORS), literal).map(([operator, value]) => ({ kind: 'comparison', column: name, operator, value })),
    fc.array(literal, { minLength: 1, maxLength: 3 }).map((values) => ({ kind: 'in', column: name, values })),
    fc.tuple(literal, literal).map(([low, high]) => ({ kind: 'between', column: name, low, high })),
    fc.boolean().map((negated) => ({ kind: 'isNull', column: name, negated })),
  ];
  if (type === 'string') options.push(tricky.map((pattern) => ({ kind: 'like', column: name, pattern })));
  return fc.oneof(...options);
});

/** Filter trees in normal form: AND and OR have two or more operands, none of their own kind. */
export const filterTree: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('node').map((operand): FilterNode => ({ kind: 'not', operand })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands) => combine('and', operands)),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands) => combine('or', operands)),
  ),
})).node;

function combine(kind: 'and' | 'or', operands: FilterNode[]): FilterNode {
  return { kind, operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])) };
}

/** The catalog type of a generated column. */
export function generatedColumnType(column: string): ColumnType | undefined {
  return FILTER_COLUMNS.find((candidate) => candidate.name === column)?.type;
}
