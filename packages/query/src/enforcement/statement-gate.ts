/**
 * Table functions a statement may call in FROM. They generate values from
 * their arguments and read no file, table or engine state; every other table
 * function (read_parquet, glob, query, duckdb_views, ...) is denied.
 */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/** Scalar functions that return the engine's settings or variables, such as the paths it may read. */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set(['current_setting', 'getvariable']);

/** Query node types of DuckDB's parse tree; `cte_map` marks a query node. */
const QUERY_NODE_TYPES: ReadonlySet<string> = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE']);

/** Every `TableReferenceType` of DuckDB 1.5, as `json_serialize_sql` writes them. */
const TABLE_REFERENCE_TYPES: ReadonlySet<string> = new Set([
  'INVALID',
  'BASE_TABLE',
  'SUBQUERY',
  'JOIN',
  'TABLE_FUNCTION',
  'EXPRESSION_LIST',
  'CTE',
  'EMPTY',
  'EMPTY_FROM',
  'PIVOT',
  'SHOW_REF',
  'COLUMN_DATA',
  'DELIM_GET',
  'BOUND_TABLE_REF',
]);

/** Table references whose children are walked like any other part of the tree. */
const COMPOSITE_REFERENCES: ReadonlySet<string> = new Set(['JOIN', 'SUBQUERY', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT']);

/**
 * A name DuckDB cannot take for a file: a replacement scan (`FROM 'x.parquet'`)
 * needs a file extension, so names of letters, digits and `_` never read a file.
 */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface StatementCheck {
  /** Readable tables the statement names, as `database.table`, sorted. */
  tables: string[];
  /** Every `database.table` the statement names, readable or not, sorted; for the audit of a denial. */
  named: string[];
  /** Constructs that deny the statement, in order of first appearance; empty when it may run. */
  denials: string[];
}

type Node = Record<string, unknown>;

/**
 * Check DuckDB's parse tree of a statement (the `statements` of
 * `json_serialize_sql`, which serializes SELECT statements only) before it
 * runs. It passes when there is exactly one statement and every table it
 * reads is a WITH query in scope, one of `ALLOWED_TABLE_FUNCTIONS`, or a
 * `database.table` for which `whyUnreadable` returns undefined. Tables are
 * looked for in FROM, joins, subqueries anywhere, WITH queries, set
 * operations, PIVOT and DESCRIBE. For any other table, the reason
 * `whyUnreadable` returns is a denial.
 *
 * The walk fails closed: it visits every object of the tree, and a table
 * reference or query node of a kind it does not know denies the statement.
 */
export function checkStatementTree(statements: readonly unknown[], whyUnreadable: (table: string) => string | undefined): StatementCheck {
  const walk = new TreeWalk(whyUnreadable);
  if (statements.length !== 1) {
    walk.deny(statements.length === 0 ? 'an empty statement' : `${statements.length} statements (run one at a time)`);
  }
  for (const statement of statements) walk.visit(statement, new Set());
  return { tables: [...walk.tables].sort(), named: [...walk.named].sort(), denials: [...walk.denials] };
}

class TreeWalk {
  readonly tables = new Set<string>();
  readonly named = new Set<string>();
  readonly denials = new Set<string>();

  constructor(private readonly whyUnreadable: (table: string) => string | undefined) {}

  deny(construct: string): void {
    this.denials.add(construct);
  }

  /** Visit any part of the tree with the names of the WITH queries in scope there, in lower case. */
  visit(value: unknown, ctes: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, ctes);
      return;
    }
    if (!isNode(value)) return;

    if ('cte_map' in value) this.visitQueryNode(value, ctes);
    else if (typeof value['class'] === 'string') this.visitExpression(value, ctes);
    else if (isTableReference(value)) this.visitTableReference(value, ctes);
    else this.visitChildren(value, ctes);
  }

  private visitChildren(node: Node, ctes: ReadonlySet<string>, skip?: string): void {
    for (const [key, child] of Object.entries(node)) if (key !== skip) this.visit(child, ctes);
  }

  /**
   * Visit a query node. A WITH query is in scope in the rest of its node and
   * in the WITH queries after it. A recursive one is also in scope in its own
   * body, which DuckDB parses as a RECURSIVE_CTE_NODE.
   */
  private visitQueryNode(node: Node, outer: ReadonlySet<string>): void {
    const type = String(node['type']);
    if (!QUERY_NODE_TYPES.has(type)) {
      this.deny(`a ${type} query`);
      return;
    }
    const scope = new Set(outer);
    if (type === 'RECURSIVE_CTE_NODE') this.addCteName(scope, node['cte_name']);

    const entries = (node['cte_map'] as { map?: unknown } | null)?.map;
    for (const entry of Array.isArray(entries) ? entries : []) {
      if (!isNode(entry)) continue;
      this.visit(entry['value'], scope);
      this.addCteName(scope, entry['key']);
    }
    this.visitChildren(node, scope, 'cte_map');
  }

  private addCteName(scope: Set<string>, name: unknown): void {
    if (typeof name === 'string' && PLAIN_NAME.test(name)) scope.add(name.toLowerCase());
    else this.deny('a WITH query whose name is not a plain name');
  }

  private visitExpression(node: Node, ctes: ReadonlySet<string>): void {
    if (node['class'] === 'FUNCTION') {
      const name = String(node['function_name']).toLowerCase();
      if (DENIED_FUNCTIONS.has(name)) this.deny(`function ${name}, which returns engine settings`);
    }
    this.visitChildren(node, ctes);
  }

  private visitTableReference(node: Node, ctes: ReadonlySet<string>): void {
    const type = String(node['type']);
    if (type === 'BASE_TABLE') this.visitBaseTable(node, ctes);
    else if (type === 'TABLE_FUNCTION') this.visitTableFunction(node, ctes);
    else if (type === 'SHOW_REF') this.visitShow(node, ctes);
    else if (COMPOSITE_REFERENCES.has(type)) this.visitChildren(node, ctes);
    else this.deny(`a ${type} table reference`);
  }

  private visitBaseTable(node: Node, ctes: ReadonlySet<string>): void {
    const catalog = stringOf(node['catalog_name']);
    const schema = stringOf(node['schema_name']);
    const table = stringOf(node['table_name']);

    if (node['at_clause'] !== null && node['at_clause'] !== undefined) this.deny('AT (a table version)');
    if (!PLAIN_NAME.test(table) || (schema !== '' && !PLAIN_NAME.test(schema)) || (catalog !== '' && !PLAIN_NAME.test(catalog))) {
      // The name is not echoed: a quoted path or string can carry anything.
      this.deny('a table named by a path or quoted text (a replacement scan reads files)');
      return;
    }
    if (catalog !== '') {
      this.deny(`a table named with a catalog (${catalog}.${schema}.${table}); name tables as database.table`);
      return;
    }
    if (schema === '') {
      if (!ctes.has(table.toLowerCase())) this.deny(`table ${table} without a database; name tables as database.table`);
      return;
    }

    const name = `${schema}.${table}`.toLowerCase();
    this.named.add(name);
    const reason = this.whyUnreadable(name);
    if (reason === undefined) this.tables.add(name);
    else this.deny(reason);
  }

  private visitTableFunction(node: Node, ctes: ReadonlySet<string>): void {
    const call = isNode(node['function']) ? node['function'] : {};
    const name = stringOf(call['function_name']).toLowerCase();
    const qualified = stringOf(call['schema']) !== '' || stringOf(call['catalog']) !== '';
    if (!ALLOWED_TABLE_FUNCTIONS.has(name) || qualified) {
      this.deny(`table function ${PLAIN_NAME.test(name) ? name : '(unnamed)'}; only ${[...ALLOWED_TABLE_FUNCTIONS].join(', ')} may be called in FROM`);
    }
    this.visitChildren(call, ctes);
    this.visitChildren(node, ctes, 'function');
  }

  /** DESCRIBE and SUMMARIZE of a query or table are queries over it; SHOW TABLES and the like read the engine's catalog. */
  private visitShow(node: Node, ctes: ReadonlySet<string>): void {
    const type = stringOf(node['show_type']);
    if ((type === 'DESCRIBE' || type === 'SUMMARY') && isNode(node['query'])) this.visit(node['query'], ctes);
    else this.deny('SHOW (lists the engine catalog); `carelake grants show` lists what you may read');
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tell a table reference by its `TableReferenceType` and lack of an expression `class`, or by `sample` for a type not listed. */
function isTableReference(node: Node): boolean {
  const type = node['type'];
  return typeof type === 'string' && (TABLE_REFERENCE_TYPES.has(type) || 'sample' in node);
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
