import { CatalogInputError } from './errors';

/** A named SQL statement that analysts share, stored with the catalog and run with `carelake query --saved NAME`. */
export interface SavedQuery {
  name: string;
  sql: string;
  description?: string;
  /** Principal who saved the current text. */
  savedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SavedQueryInput {
  name: string;
  sql: string;
  description?: string;
  savedBy: string;
}

/**
 * Storage of saved queries. The local catalog file implements it.
 * NOTE: on AWS, saved queries are not stored yet; Athena named queries are the natural home.
 */
export interface SavedQueryStore {
  /** Creates or replaces a saved query. Saving the same text and description again changes nothing. */
  saveQuery(input: SavedQueryInput): Promise<{ created: boolean; changed: boolean }>;
  getSavedQuery(name: string): Promise<SavedQuery | undefined>;
  /** Every saved query, by name. */
  listSavedQueries(): Promise<SavedQuery[]>;
  deleteSavedQuery(name: string): Promise<{ deleted: boolean }>;
}

const SAVED_QUERY_NAME = /^[a-z][a-z0-9_-]{0,127}$/;
// The limit Athena sets on a query's text, so that a saved query can run on both engines.
export const MAX_SAVED_QUERY_BYTES = 262_144;

/** Checks a saved query before it is stored, listing every problem. */
export function checkSavedQueryInput(input: SavedQueryInput): void {
  const issues = [];
  if (!SAVED_QUERY_NAME.test(input.name)) {
    issues.push({ keyPath: 'name', message: 'must be 1 to 128 lower case letters, digits, "_" or "-", starting with a letter' });
  }
  if (input.sql.trim() === '') issues.push({ keyPath: 'sql', message: 'is empty' });
  const bytes = Buffer.byteLength(input.sql, 'utf8');
  if (bytes > MAX_SAVED_QUERY_BYTES) {
    issues.push({ keyPath: 'sql', message: `is ${bytes} bytes, Athena accepts at most ${MAX_SAVED_QUERY_BYTES}` });
  }
  if (issues.length > 0) {
    throw new CatalogInputError(`saved query "${input.name}" is invalid: ${issues.map((issue) => `${issue.keyPath} ${issue.message}`).join('; ')}`, issues);
  }
}
