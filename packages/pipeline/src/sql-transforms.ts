import { ConfigError, type ConfigIssue, type DatasetDefinition } from '@carelake/core';
import { VIEW_DATABASE } from '@carelake/fhir';
import { duckDbType, type DuckDbLimits } from '@carelake/tables';
import type { LoadedPipeline } from './pipeline-file';
import { findDuckDbOnlySql, hasSqlStatement } from './sql-portability';
import { duckDbMessageOf, TransformEngine, type TransformColumn } from './transform-engine';
import {
  readSqlTransformSources,
  sqlTransformPathsOf,
  SQL_TRANSFORM_SUFFIX,
  type SqlTransformSource,
} from './transform-files';

/** A SQL transform of a pipeline, with the view tables it reads. */
export interface SqlTransform extends SqlTransformSource {
  /** The `fhir.*` tables the SQL reads, sorted. */
  sources: string[];
}

/** The Glue naming rule that a transform's file name must follow, because it names a table. */
const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/**
 * Read a pipeline's SQL transforms, keep those whose table is one of its outputs, and find the
 * view tables each reads, once per run and before any file lands.
 * @throws ConfigError listing every problem, each under its file: a file name that is not a table
 * name, text that is not one SELECT, DuckDB-only constructs, and a table or table function read
 * that is not a `fhir.*` view table. PipelineError for a missing path.
 */
export async function loadSqlTransforms(
  pipeline: LoadedPipeline,
  limits: DuckDbLimits,
): Promise<SqlTransform[]> {
  const paths = sqlTransformPathsOf(pipeline);
  if (paths.length === 0) return [];
  const sources = readSqlTransformSources(paths);
  const issues: ConfigIssue[] = [];
  const selected = sources.filter((source) => {
    if (TABLE_NAME.test(source.table)) return pipeline.outputs.includes(source.table);
    issues.push({
      keyPath: source.file,
      message: `the file name gives the table ${source.table}, which breaks the Glue naming rule; name the file <table>${SQL_TRANSFORM_SUFFIX} with lower-case letters, digits and _`,
    });
    return false;
  });

  const transforms: SqlTransform[] = [];
  if (selected.length > 0) {
    const engine = await TransformEngine.open(limits);
    try {
      for (const source of selected) {
        const found = await findTransformIssues(engine, source);
        issues.push(...found.issues);
        if (found.issues.length === 0) transforms.push({ ...source, sources: found.reads });
      }
    } finally {
      await engine.close();
    }
  }
  if (issues.length > 0) throw new ConfigError('SQL transform files are invalid', issues);
  return transforms;
}

async function findTransformIssues(
  engine: TransformEngine,
  source: SqlTransformSource,
): Promise<{ reads: string[]; issues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = [];
  const report = (message: string, line?: number): void => {
    issues.push({ keyPath: line === undefined ? source.file : `${source.file}:${line}`, message });
  };

  if (!hasSqlStatement(source.sql)) {
    report('contains no SQL statement; a transform is one SELECT');
    return { reads: [], issues };
  }
  const parsed = await engine.parse(source.sql);
  if (parsed.error !== undefined) {
    // json_serialize_sql reports any statement but SELECT with this message.
    const notSelect = /Only SELECT statements/.test(parsed.error);
    report(
      notSelect
        ? 'is not a SELECT statement; a transform is one SELECT'
        : `is not valid SQL: ${parsed.error}`,
    );
    return { reads: [], issues };
  }
  if (parsed.statements !== 1)
    report(`contains ${parsed.statements} statements; a transform is one SELECT`);

  for (const found of findDuckDbOnlySql(source.sql)) {
    report(
      `${found.construct} is DuckDB-only SQL, which Athena rejects; write ${found.instead}`,
      found.line,
    );
  }

  const reads = parsed.tables;
  const others = [
    ...parsed.tableFunctions.map((name) => `${name}(...)`),
    ...reads.filter((table) => !isViewTableName(table)),
  ];
  if (others.length > 0) {
    report(
      `reads ${others.join(', ')}; a transform reads only ${VIEW_DATABASE}.<view> tables, named with their database`,
    );
  } else if (reads.length === 0) {
    report(`reads no ${VIEW_DATABASE}.<view> table`);
  }
  return { reads, issues };
}

/**
 * Prepare each transform over empty source tables and compare its result columns with its
 * table's dataset: the same names and the types the table layer writes. Run it after the views
 * are compiled, because the source tables take their columns from them.
 * @throws ConfigError listing every transform that DuckDB cannot prepare, and every missing,
 * extra or mistyped column.
 */
export async function checkSqlTransforms(
  transforms: readonly SqlTransform[],
  datasetOf: (table: string) => DatasetDefinition | undefined,
  limits: DuckDbLimits,
): Promise<void> {
  if (transforms.length === 0) return;
  const issues: ConfigIssue[] = [];
  const engine = await TransformEngine.open(limits);
  try {
    for (const table of new Set(transforms.flatMap((transform) => transform.sources))) {
      const dataset = datasetOf(table);
      if (dataset) await engine.defineEmptyTable(dataset);
    }
    // Preparing binds table functions, which read files; the check reads none.
    await engine.lockDown([]);

    for (const transform of transforms) {
      const target = datasetOf(transform.table);
      if (!target) {
        issues.push({
          keyPath: transform.file,
          message: `no dataset file describes ${transform.table}`,
        });
        continue;
      }
      let columns: TransformColumn[];
      try {
        columns = await engine.describe(transform.sql);
      } catch (error) {
        issues.push({
          keyPath: transform.file,
          message: `DuckDB cannot prepare it: ${firstLineOf(error)}`,
        });
        continue;
      }
      issues.push(...columnIssues(transform, columns, target));
    }
  } finally {
    await engine.close();
  }
  if (issues.length > 0) throw new ConfigError('SQL transforms do not match their tables', issues);
}

function columnIssues(
  transform: SqlTransform,
  columns: readonly TransformColumn[],
  target: DatasetDefinition,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report = (message: string): void => {
    issues.push({ keyPath: transform.file, message });
  };
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) report(`returns the column ${column.name} twice`);
    seen.add(column.name);
    const declared = target.columns[column.name];
    if (!declared) {
      report(
        `returns the column ${column.name}, which ${target.table} does not declare; remove it or declare it in the dataset file`,
      );
      continue;
    }
    const expected = duckDbType(declared.type);
    if (column.type !== expected) {
      report(
        `returns ${column.name} as ${column.type}, but ${target.table} declares it ${declared.type}; write CAST(... AS ${expected})`,
      );
    }
  }
  const missing = Object.keys(target.columns).filter((name) => !seen.has(name));
  if (missing.length > 0)
    report(
      `returns no column ${missing.join(', ')} of ${target.table}; return each, NULL cast to its type where there is no value`,
    );
  return issues;
}

function isViewTableName(table: string): boolean {
  return table.startsWith(`${VIEW_DATABASE}.`) && TABLE_NAME.test(table);
}

function firstLineOf(error: unknown): string {
  const message = duckDbMessageOf(error);
  return message.split('\n')[0] ?? message;
}
