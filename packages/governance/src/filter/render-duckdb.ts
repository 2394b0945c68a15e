import type { ColumnType } from '@carelake/core';
import { GovernanceError } from '../errors';
import type { FilterLiteral, FilterNode } from './syntax-tree';

/** DuckDB's name for each catalog column type a row filter may compare. */
const DUCKDB_TYPES: Partial<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

/**
 * Render a filter as a DuckDB boolean expression. Names are always double-quoted and constants are
 * written from the tree with quotes doubled and cast to the column's catalog type, so no text from
 * a policy file reaches DuckDB as SQL. Run `checkRowFilter` first: a column that is missing or of a
 * type row filters do not support raises `GovernanceError` here.
 */
export function renderDuckDbFilter(node: FilterNode, columnType: (column: string) => ColumnType | undefined): string {
  const render = (child: FilterNode): string => renderDuckDbFilter(child, columnType);
  switch (node.kind) {
    case 'and':
      return node.operands.map((operand) => `(${render(operand)})`).join(' AND ');
    case 'or':
      return node.operands.map((operand) => `(${render(operand)})`).join(' OR ');
    case 'not':
      return `NOT (${render(node.operand)})`;
    case 'comparison': {
      const type = typeOf(node.column, columnType);
      return `${duckDbIdentifier(node.column)} ${node.operator} ${duckDbLiteral(node.value, type)}`;
    }
    case 'in': {
      const type = typeOf(node.column, columnType);
      return `${duckDbIdentifier(node.column)} IN (${node.values.map((value) => duckDbLiteral(value, type)).join(', ')})`;
    }
    case 'between': {
      const type = typeOf(node.column, columnType);
      return `${duckDbIdentifier(node.column)} BETWEEN ${duckDbLiteral(node.low, type)} AND ${duckDbLiteral(node.high, type)}`;
    }
    case 'like':
      typeOf(node.column, columnType);
      // An explicit empty ESCAPE keeps backslashes literal, as in Lake Formation's LIKE.
      return `${duckDbIdentifier(node.column)} LIKE ${duckDbString(node.pattern)} ESCAPE ''`;
    case 'isNull':
      typeOf(node.column, columnType);
      return `${duckDbIdentifier(node.column)} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
  }
}

/** Quote a name for DuckDB, doubling any double quote in it. */
export function duckDbIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function duckDbString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function typeOf(column: string, columnType: (column: string) => ColumnType | undefined): string {
  const type = columnType(column);
  if (type === undefined) throw new GovernanceError(`row filter column "${column}" is not a column of the table`);
  const duckDbType = DUCKDB_TYPES[type];
  if (duckDbType === undefined) {
    throw new GovernanceError(`row filter column "${column}" is of type ${type}, which row filters cannot compare`);
  }
  return duckDbType;
}

function duckDbLiteral(literal: FilterLiteral, duckDbType: string): string {
  switch (literal.kind) {
    case 'string':
      return duckDbString(literal.value);
    case 'boolean':
      return literal.value ? 'TRUE' : 'FALSE';
    case 'number':
      // The text matched the tokenizer's digits-only pattern, so it cannot carry SQL.
      return `CAST(${literal.text} AS ${duckDbType})`;
  }
}
