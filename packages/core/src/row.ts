/** A value in a row batch. `date` columns take a Date at UTC midnight, `timestamp` columns a Date in UTC. */
export type RowValue = string | number | bigint | boolean | Date | null;

/** One table row, keyed by column name. Every declared column is present, null when absent. */
export type Row = Record<string, RowValue>;
