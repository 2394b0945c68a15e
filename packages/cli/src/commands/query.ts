import type { Principal } from '@carelake/core';
import type { Lake } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { formatValue, renderCsvLine, renderJsonLine, renderTable, type OutputFormat } from '../output-format';

export interface RunQueryOptions {
  principal: Principal;
  format: OutputFormat;
  limit?: number;
  write: (text: string) => void;
}

/** Run one SQL statement through the local engine and print its result as it streams. */
export async function runQuery(lake: Lake, sql: string, options: RunQueryOptions): Promise<number> {
  const engine = await DuckDbQueryEngine.open({
    catalog: lake.catalog,
    tables: lake.tables,
    audit: lake.audit,
    limits: lake.duckdb,
  });
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);

  try {
    const result = await engine.query(sql, {
      principal: options.principal,
      signal: controller.signal,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
    let count = 0;

    if (options.format === 'table') {
      const rows = [];
      for await (const batch of result.batches) rows.push(...batch);
      options.write(renderTable(result.columns, rows));
      return rows.length;
    }
    if (options.format === 'csv') options.write(renderCsvLine(result.columns.map((column) => column.name)));
    for await (const batch of result.batches) {
      for (const row of batch) {
        options.write(
          options.format === 'csv'
            ? renderCsvLine(result.columns.map((column) => formatValue(row[column.name])))
            : renderJsonLine(row),
        );
        count++;
      }
    }
    return count;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await engine.close();
  }
}
