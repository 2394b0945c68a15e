import { CarelakeError } from '@carelake/core';

/** Root of the errors the table layer raises. */
export class TableError extends CarelakeError {}

/** Another writer kept winning the race for the next version. */
export class CommitConflictError extends TableError {}

/** A row batch does not match the table's declared columns. */
export class RowSchemaError extends TableError {}

/** A commit file is unreadable or inconsistent with the protocol. */
export class CorruptCommitError extends TableError {}

/** A data file names a storage tier the table store was not opened with. */
export class UnknownTierError extends TableError {}
