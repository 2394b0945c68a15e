import type { FilterLiteral, FilterNode } from './syntax-tree';
import { KEYWORDS } from './tokenizer';

/** Words the tokenizer reads as keywords or rejects, so a column with such a name must be quoted. */
const RESERVED = new Set<string>([...KEYWORDS, 'select', 'exists', 'case', 'cast', 'date', 'timestamp', 'escape', 'ilike', 'similar']);

/**
 * Render a filter as Lake Formation's `RowFilter.FilterExpression`. The text comes from the tree
 * alone, never from the policy file, so what Lake Formation enforces is what was checked.
 * `NOT x IN (...)` and the like are written `NOT (x IN (...))`, the form the documented subset names.
 */
export function renderLakeFormationFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
      return node.operands.map((operand) => (operand.kind === 'or' ? `(${renderLakeFormationFilter(operand)})` : renderLakeFormationFilter(operand))).join(' AND ');
    case 'or':
      // AND binds tighter than OR, but the parentheses make the intent plain to a reader of the console.
      return node.operands.map((operand) => (operand.kind === 'and' ? `(${renderLakeFormationFilter(operand)})` : renderLakeFormationFilter(operand))).join(' OR ');
    case 'not':
      return `NOT (${renderLakeFormationFilter(node.operand)})`;
    case 'comparison':
      return `${partiqlIdentifier(node.column)} ${node.operator} ${partiqlLiteral(node.value)}`;
    case 'in':
      return `${partiqlIdentifier(node.column)} IN (${node.values.map(partiqlLiteral).join(', ')})`;
    case 'between':
      return `${partiqlIdentifier(node.column)} BETWEEN ${partiqlLiteral(node.low)} AND ${partiqlLiteral(node.high)}`;
    case 'like':
      return `${partiqlIdentifier(node.column)} LIKE ${partiqlString(node.pattern)}`;
    case 'isNull':
      return `${partiqlIdentifier(node.column)} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
  }
}

function partiqlIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

function partiqlLiteral(literal: FilterLiteral): string {
  switch (literal.kind) {
    case 'string':
      return partiqlString(literal.value);
    case 'number':
      return literal.text;
    case 'boolean':
      return literal.value ? 'TRUE' : 'FALSE';
  }
}

function partiqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
