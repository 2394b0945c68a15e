import type { Principal } from '@carelake/core';

export type QueryValue =
  string | number | bigint | boolean | Date | null | QueryValue[] | { [key: string]: QueryValue };

export interface QueryColumn {
  name: string;
  /** The engine's type name, such as VARCHAR or BIGINT. */
  type: string;
}

export interface QueryOptions {
  principal: Principal;
  /** Stop after this many rows. */
  limit?: number;
  /**
   * Stop the query, such as on Ctrl-C. The engine then raises the signal's
   * reason when it is a `QueryInterruptedError`, else a `QueryInterruptedError`.
   */
  signal?: AbortSignal;
  /**
   * Stop the query when it has run this long, counted from the call until the
   * last row is read, so a slow reader counts too; raises `QueryTimeoutError`.
   */
  timeoutMs?: number;
}

/** A running query: its columns, then its rows in batches so a large result never fills memory. */
export interface QueryResult {
  columns: QueryColumn[];
  batches: AsyncIterable<Record<string, QueryValue>[]>;
}

/** One SQL interface over the lake: DuckDB locally, Athena on AWS. */
export interface QueryEngine {
  query(sql: string, options: QueryOptions): Promise<QueryResult>;
  /** Read every row; for small results and tests. */
  queryAll(
    sql: string,
    options: QueryOptions,
  ): Promise<{ columns: QueryColumn[]; rows: Record<string, QueryValue>[] }>;
  close(): Promise<void>;
}
