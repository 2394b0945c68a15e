import { CarelakeError } from '@carelake/core';

/** Root of the errors the query engines raise. */
export class QueryError extends CarelakeError {}

/** The SQL failed in the engine; the engine's message is kept as `cause`. */
export class QueryExecutionError extends QueryError {}
