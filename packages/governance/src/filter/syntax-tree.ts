/**
 * Syntax tree of a row filter in Lake Formation's PartiQL subset. Every leaf compares one column
 * with constants, as Lake Formation requires. `and` and `or` are n-ary with no child of their own
 * kind, so that rendering and parsing again gives the same tree.
 */
export type FilterNode =
  | { kind: 'and'; operands: FilterNode[] }
  | { kind: 'or'; operands: FilterNode[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'comparison'; column: string; operator: ComparisonOperator; value: FilterLiteral }
  | { kind: 'in'; column: string; values: FilterLiteral[] }
  | { kind: 'between'; column: string; low: FilterLiteral; high: FilterLiteral }
  | { kind: 'like'; column: string; pattern: string }
  | { kind: 'isNull'; column: string; negated: boolean };

/** `!=` is read as `<>`, which means the same in PartiQL and in DuckDB. */
export const COMPARISON_OPERATORS = ['=', '<>', '<', '<=', '>', '>='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** A constant. Numbers keep their decimal text so that BIGINT values lose no digits. */
export type FilterLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean };

/** A row filter as a policy holds it: the tree, and the text it was parsed from for messages. */
export interface RowFilter {
  text: string;
  tree: FilterNode;
}

/** Return the columns a filter reads, each once, in order of first use. */
export function filterColumns(node: FilterNode): string[] {
  const seen = new Set<string>();
  visitLeaves(node, (leaf) => seen.add(leaf.column));
  return [...seen];
}

type FilterLeaf = Exclude<FilterNode, { kind: 'and' | 'or' | 'not' }>;

/** Call `visit` with every comparison, IN, BETWEEN, LIKE and IS NULL in the tree. */
export function visitLeaves(node: FilterNode, visit: (leaf: FilterLeaf) => void): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      node.operands.forEach((operand) => visitLeaves(operand, visit));
      return;
    case 'not':
      visitLeaves(node.operand, visit);
      return;
    default:
      visit(node);
  }
}

/** Join filters with OR, as Lake Formation unions the rows of several data cells filters. */
export function anyOf(filters: readonly FilterNode[]): FilterNode | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  const operands = filters.flatMap((filter) => (filter.kind === 'or' ? filter.operands : [filter]));
  return { kind: 'or', operands };
}
