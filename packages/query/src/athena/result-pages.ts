import {
  GetQueryResultsCommand,
  type AthenaClient,
  type ColumnInfo,
  type GetQueryResultsCommandOutput,
  type Row,
} from '@aws-sdk/client-athena';
import type { QueryColumn, QueryValue } from '../query-engine';
import { AthenaRequestError, AthenaResultError } from './athena-errors';
import { converterFor, toQueryColumn, type ValueConverter } from './convert-value';
import { isHeaderRow } from './header-row';
import { cancelQueryExecution } from './stop-query';

/** Rows per GetQueryResults call, the most Athena returns. */
export const RESULTS_PAGE_SIZE = 1000;

export interface ResultStreamOptions {
  client: AthenaClient;
  queryExecutionId: string;
  /** True for statements whose first page starts with a header row (see `returnsHeaderRow`). */
  headerExpected: boolean;
  /** Stop after this many rows; `Infinity` reads every page. */
  limit: number;
  signal?: AbortSignal | undefined;
}

/** The result of a SUCCEEDED query: its columns, then one batch of rows per page. */
export interface ResultStream {
  columns: QueryColumn[];
  batches: AsyncGenerator<Record<string, QueryValue>[]>;
  /** Rows yielded so far. */
  readonly rowCount: number;
}

/**
 * Fetch the first page, for the column metadata, and return the columns with a
 * generator that yields that page and then fetches each next page only when the
 * caller asks for it, so memory contains one page at a time.
 */
export async function openResultStream(options: ResultStreamOptions): Promise<ResultStream> {
  const firstPage = await getResultsPage(options, undefined);
  const infos = firstPage.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
  const converters = infos.map((info) => converterFor(info.Type ?? ''));
  const progress = { rowCount: 0 };

  async function* batches(): AsyncGenerator<Record<string, QueryValue>[]> {
    let page = firstPage;
    let rows = page.ResultSet?.Rows ?? [];
    if (options.headerExpected && isHeaderRow(rows[0], infos)) rows = rows.slice(1);

    for (;;) {
      const remaining = options.limit - progress.rowCount;
      const rowsWithinLimit = rows.length > remaining ? rows.slice(0, remaining) : rows;
      if (rowsWithinLimit.length > 0) {
        const batch = rowsWithinLimit.map((row, index) =>
          convertRow(row, infos, converters, progress.rowCount + index),
        );
        progress.rowCount += batch.length;
        yield batch;
      }
      if (progress.rowCount >= options.limit || !page.NextToken) return;

      if (options.signal?.aborted) {
        throw await cancelQueryExecution(options.client, options.queryExecutionId, options.signal);
      }
      page = await getResultsPage(options, page.NextToken);
      rows = page.ResultSet?.Rows ?? [];
    }
  }

  return {
    columns: infos.map(toQueryColumn),
    batches: batches(),
    get rowCount() {
      return progress.rowCount;
    },
  };
}

async function getResultsPage(
  options: ResultStreamOptions,
  nextToken: string | undefined,
): Promise<GetQueryResultsCommandOutput> {
  const { client, queryExecutionId, signal } = options;
  const command = new GetQueryResultsCommand({
    QueryExecutionId: queryExecutionId,
    MaxResults: RESULTS_PAGE_SIZE,
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  });
  try {
    return await client.send(command, signal === undefined ? {} : { abortSignal: signal });
  } catch (error) {
    if (signal?.aborted) throw await cancelQueryExecution(client, queryExecutionId, signal);
    throw new AthenaRequestError('GetQueryResults', queryExecutionId, error);
  }
}

/** Convert one row; a Datum without VarCharValue is NULL, one with "" is the empty string. */
function convertRow(
  row: Row,
  infos: readonly ColumnInfo[],
  converters: readonly ValueConverter[],
  rowIndex: number,
): Record<string, QueryValue> {
  const data = row.Data ?? [];
  if (data.length !== infos.length) {
    throw new AthenaResultError(
      `Athena returned ${data.length} values for ${infos.length} columns in result row ${rowIndex} (0-based)`,
      { position: { record: rowIndex } },
    );
  }

  const entries = infos.map((info, index): [string, QueryValue] => {
    const name = info.Name ?? '';
    const text = data[index]?.VarCharValue;
    if (text === undefined) return [name, null];

    const value = converters[index]?.(text);
    if (value === undefined) {
      throw new AthenaResultError(
        `Athena returned an invalid ${info.Type ?? 'unknown'} value in column "${name}" of result row ${rowIndex} (0-based)`,
        { position: { record: rowIndex, field: name } },
      );
    }
    return [name, value];
  });
  // fromEntries defines each column as an own property, even one named __proto__.
  return Object.fromEntries(entries);
}
