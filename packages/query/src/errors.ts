import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Root of the errors the query engines raise. */
export class QueryError extends CarelakeError {}

/** The SQL failed in the engine; the engine's message is kept as `cause`. */
export class QueryExecutionError extends QueryError {}

/** The query was stopped through its AbortSignal, such as by Ctrl-C; `cause` is the signal's reason. */
export class QueryInterruptedError extends QueryError {}

/** The query ran longer than its `timeoutMs`. */
export class QueryTimeoutError extends QueryInterruptedError {
  constructor(
    readonly timeoutMs: number,
    options: CarelakeErrorOptions = {},
  ) {
    super(`query timed out after ${timeoutMs / 1000} s`, options);
  }
}

/** A Trino construct in the SQL that the local engine cannot run with Trino's meaning. */
export interface UnsupportedConstruct {
  /** The construct as Trino names it, such as `AT TIME ZONE` or `format_datetime`. */
  construct: string;
  /** The DuckDB form to write instead. */
  alternative: string;
  /** 1-based line of the SQL where the construct starts. */
  line: number;
}

/**
 * The SQL uses Trino constructs that DuckDB rejects or runs with another
 * meaning. The message names each construct and its line, never the SQL text.
 */
export class QueryUnsupportedConstructError extends QueryError {
  constructor(readonly constructs: readonly UnsupportedConstruct[]) {
    const listed = constructs.map((found) => `${found.construct} (line ${found.line})`).join(', ');
    const alternatives = constructs
      .map((found) => `For ${found.construct}, ${found.alternative}`)
      .join(' ');
    super(
      `the SQL uses Trino constructs that the local DuckDB engine cannot run the same way: ${listed}`,
      {
        hint: alternatives,
      },
    );
  }
}

/**
 * A statement the governed engine does not run: anything but one SELECT over
 * the tables granted to the principal. `denials` names each construct found,
 * such as `table function read_parquet` or `COPY statement`, never the SQL
 * text, which can quote field values.
 */
export class QueryDeniedError extends QueryError {
  constructor(
    readonly principal: string,
    readonly denials: readonly string[],
    options: CarelakeErrorOptions = {},
  ) {
    super(`query denied for principal ${principal}: ${denials.join('; ')}`, {
      hint:
        'Only one SELECT statement runs, over the tables granted to you, named as database.table. ' +
        `\`carelake grants show --principal ${principal}\` lists them with their columns and row filters.`,
      ...options,
    });
  }
}
