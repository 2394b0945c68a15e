import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseTableName, parseYamlDocument, sha256Hex, type ConfigIssue, type DatasetDefinition } from '@carelake/core';
import { checkProfileAgainstDataset, DeidProfileError, parseDeidProfile, type DeidProfile } from '@carelake/deid';
import { currentDatasetOf } from '@carelake/tables';
import { loadDatasets } from '../datasets';
import { CROSSWALK_TABLE } from './crosswalk-table';
import { DeidProfileFileError } from './deid-errors';

/** De-identification profile files end with this; the part before it names the profile. */
export const DEID_PROFILE_SUFFIX = '.deid.yaml';

/** Database of the output of each method: de-identified copies, and limited data sets apart from them. */
export const DEID_OUTPUT_DATABASES = { 'safe-harbor': 'deid', limited: 'deid_limited' } as const;

const PROFILE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const qualifiedTable = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');
const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a column name in lower case');
const profileOptions = z.record(z.string(), z.unknown());

const profileFileSchema = z
  .object({
    description: z.string().min(1),
    /** Options of the de-identification profile shared by every table, `method` included. */
    profile: profileOptions,
    tables: z
      .array(
        z
          .object({
            /** Table to read: a dataset's table, or the `_current` companion of a history dataset. */
            source: qualifiedTable,
            /** Table to write, in `deid` for Safe Harbor and in `deid_limited` for a limited profile. */
            output: qualifiedTable,
            /** Columns left out before de-identification, such as hashes of the source record that the dataset classifies public. */
            drop: z.array(columnName).default([]),
            /** Profile options of this table only, over the shared ones. */
            profile: profileOptions.default({}),
          })
          .strict(),
      )
      .min(1, 'must list at least one table'),
  })
  .strict();

/** One table of a profile file, checked against its dataset. */
export interface DeidTablePlan {
  source: string;
  output: string;
  /** Dataset of the source table, without the dropped columns. */
  dataset: DatasetDefinition;
  /** Dataset of the source table as declared, for the report of dropped columns. */
  sourceDataset: DatasetDefinition;
  drop: string[];
  profile: DeidProfile;
}

export interface DeidProfileFile {
  /** The file name without `.deid.yaml`. */
  name: string;
  path: string;
  description: string;
  method: DeidProfile['method'];
  tables: DeidTablePlan[];
  /** Safe Harbor only: the dataset of the study-id crosswalk table. */
  crosswalkDataset?: DatasetDefinition;
  /** SHA-256 of the file's text, recorded in each report. */
  sha256: string;
}

export interface LoadDeidProfileOptions {
  /** Folder of `*.dataset.yaml` files; `datasets` beside the profile's folder by default. */
  datasetsFolder?: string;
}

/**
 * Reads a `<name>.deid.yaml` file and checks it whole before any row is read: the file's schema,
 * each table's profile, the source tables against the dataset files, and the output databases.
 * Every problem is reported at once with its key path.
 */
export function loadDeidProfileFile(path: string, options: LoadDeidProfileOptions = {}): DeidProfileFile {
  const fileName = basename(path);
  const name = fileName.endsWith(DEID_PROFILE_SUFFIX) ? fileName.slice(0, -DEID_PROFILE_SUFFIX.length) : '';
  if (!PROFILE_NAME.test(name)) {
    throw new DeidProfileFileError(`${fileName} is not named <profile>${DEID_PROFILE_SUFFIX}`, [], {
      hint: 'Name the file after its profile in lower case letters, digits, "_" and "-", such as research.deid.yaml.',
    });
  }
  const text = readFileSync(path, 'utf8');
  const document = parseYamlDocument(text, fileName, profileFileSchema);
  const datasets = loadDatasets(options.datasetsFolder ?? join(dirname(dirname(path)), 'datasets'));

  const issues: ConfigIssue[] = [];
  const tables: DeidTablePlan[] = [];
  const outputs = new Set<string>();
  let method: DeidProfile['method'] | undefined;
  document.tables.forEach((entry, index) => {
    const at = `tables[${index}]`;
    if ('method' in entry.profile) {
      issues.push({ keyPath: `${at}.profile.method`, message: 'the method is set once for the file, under profile.method' });
      return;
    }
    const profile = parseTableProfile(document.profile, entry.profile, at, issues);
    if (profile === undefined) return;
    method = profile.method;

    const outputDatabase = DEID_OUTPUT_DATABASES[profile.method];
    if (parseTableName(entry.output).database !== outputDatabase) {
      issues.push({ keyPath: `${at}.output`, message: `a ${profile.method} profile writes to database ${outputDatabase}, such as ${outputDatabase}.${parseTableName(entry.output).table}` });
    }
    if (outputs.has(entry.output)) issues.push({ keyPath: `${at}.output`, message: `${entry.output} is the output of an earlier table` });
    outputs.add(entry.output);

    const sourceDataset = sourceDatasetOf(datasets, entry.source);
    if (sourceDataset === undefined) {
      issues.push({
        keyPath: `${at}.source`,
        message: `no dataset file describes ${entry.source}; name a dataset's table or the _current companion of a history dataset`,
      });
      return;
    }
    const dataset = withoutColumns(sourceDataset, entry.drop, `${at}.drop`, profile, issues);
    for (const issue of checkProfileAgainstDataset(dataset, profile)) {
      issues.push({ keyPath: `${keyPathPrefix(entry.profile, issue.keyPath, at)}${issue.keyPath}`, message: issue.message });
    }
    tables.push({ source: entry.source, output: entry.output, dataset, sourceDataset, drop: entry.drop, profile });
  });

  const crosswalkDataset = datasets.get(CROSSWALK_TABLE);
  if (method === 'safe-harbor' && crosswalkDataset === undefined) {
    issues.push({ keyPath: 'profile.method', message: `Safe Harbor stores study ids in ${CROSSWALK_TABLE}, but no dataset file describes it` });
  }
  if (issues.length > 0 || method === undefined) {
    throw new DeidProfileFileError(`${fileName} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`, issues, {
      position: { file: fileName },
    });
  }
  return {
    name,
    path,
    description: document.description,
    method,
    tables,
    ...(method === 'safe-harbor' ? { crosswalkDataset } : {}),
    sha256: sha256Hex(text),
  };
}

/** Merges the table's profile options over the shared ones and validates the result. */
function parseTableProfile(
  shared: Record<string, unknown>,
  own: Record<string, unknown>,
  at: string,
  issues: ConfigIssue[],
): DeidProfile | undefined {
  try {
    return parseDeidProfile({ ...shared, ...own });
  } catch (error) {
    if (!(error instanceof DeidProfileError)) throw error;
    for (const issue of error.issues) issues.push({ keyPath: `${keyPathPrefix(own, issue.keyPath, at)}${issue.keyPath}`, message: issue.message });
    return undefined;
  }
}

/** Points a profile problem at the table's own options when the key is set there, else at the shared ones. */
function keyPathPrefix(own: Record<string, unknown>, keyPath: string, at: string): string {
  const firstKey = /^[^.[]*/.exec(keyPath)?.[0] ?? '';
  const prefix = firstKey in own ? `${at}.profile` : 'profile';
  return keyPath === '' ? prefix : `${prefix}.`;
}

/** Finds the dataset of a table, or derives it for the `_current` companion of a history dataset. */
function sourceDatasetOf(datasets: Map<string, DatasetDefinition>, table: string): DatasetDefinition | undefined {
  const dataset = datasets.get(table);
  if (dataset !== undefined) return dataset;
  if (!table.endsWith('_current')) return undefined;
  const history = datasets.get(table.slice(0, -'_current'.length));
  return history?.kind === 'history' ? currentDatasetOf(history) : undefined;
}

function withoutColumns(
  dataset: DatasetDefinition,
  drop: readonly string[],
  keyPath: string,
  profile: DeidProfile,
  issues: ConfigIssue[],
): DatasetDefinition {
  drop.forEach((column, index) => {
    if (!(column in dataset.columns)) issues.push({ keyPath: `${keyPath}[${index}]`, message: `column "${column}" is not declared in dataset ${dataset.table}` });
    if (column === profile.patientColumn) {
      issues.push({ keyPath: `${keyPath}[${index}]`, message: `column "${column}" is the patient column, which study ids and date shifts are keyed on` });
    }
  });
  const columns = Object.fromEntries(Object.entries(dataset.columns).filter(([name]) => !drop.includes(name)));
  return { ...dataset, columns, partitionBy: [], key: dataset.key.filter((name) => !drop.includes(name)) };
}
