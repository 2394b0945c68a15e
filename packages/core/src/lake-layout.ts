import { CarelakeError } from './errors';

/**
 * Zones of the lake and the object keys inside them. Keys are relative,
 * '/'-separated and the same on every backend: a folder on disk or an S3 prefix.
 */
export const ZONES = [
  'landing',
  'raw',
  'curated',
  'deidentified',
  'quarantine',
  'vocabularies',
  '_audit',
  '_state',
] as const;

export type Zone = (typeof ZONES)[number];

/** The zone that contains the data files of each catalog database. */
const DATABASE_ZONES: Record<string, Zone> = {
  raw: 'raw',
  fhir: 'curated',
  clinical: 'curated',
  deid: 'deidentified',
  // A limited data set is written by the de-identification step too, in a database of its own so
  // that a grant on every table of `deid` never reaches it.
  deid_limited: 'deidentified',
  // The study-id crosswalk links back to patients, so it stays with the PHI of the curated zone.
  restricted: 'curated',
  vocab: 'vocabularies',
};

export function zoneForDatabase(database: string): Zone {
  return DATABASE_ZONES[database] ?? 'curated';
}

/** Key prefix under which a table's data files live, such as `curated/clinical/patients/`. */
export function tableDataPrefix(database: string, table: string): string {
  return `${zoneForDatabase(database)}/${database}/${table}/`;
}

/** Key prefix of a table's commit log, such as `_state/tables/clinical/patients/`. */
export function tableStatePrefix(database: string, table: string): string {
  return `_state/tables/${database}/${table}/`;
}

/** Join key parts with '/', dropping empty parts and duplicate separators. */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((part) => part.length > 0)
    .join('/');
}

/** A fully qualified table name, `database.table`. */
export interface TableName {
  database: string;
  table: string;
}

export function parseTableName(qualified: string): TableName {
  const [database, table, ...rest] = qualified.split('.');
  if (!database || !table || rest.length > 0) {
    throw new CarelakeError(`invalid table name "${qualified}"`, {
      hint: 'Write it as database.table, for example clinical.patients.',
    });
  }
  return { database, table };
}

export function formatTableName(name: TableName): string {
  return `${name.database}.${name.table}`;
}
