import { joinKey, tableDataPrefix, tableStatePrefix, parseTableName } from '@carelake/core';

/** Returns a key under the lake's prefix, keeping a trailing "/" of `key`. */
export function lakeKeyPrefix(lakePrefix: string, key: string): string {
  const joined = joinKey(lakePrefix, key);
  return key.endsWith('/') && joined !== '' ? `${joined}/` : joined;
}

/**
 * Key prefixes that a pipeline's runner writes: its landing and quarantine folders, its ingest
 * ledger, the audit chain, and the data and commit logs of its tables and their `_current` companions.
 * NOTE: this list follows the key layout of landing.ts, quarantine.ts and ledger.ts in
 * @carelake/pipeline by hand; a new kind of key there needs a line here, or the runner is denied.
 */
export function pipelineWritePrefixes(lakePrefix: string, pipeline: { name: string; outputs: string[] }): string[] {
  const prefixes = [`landing/${pipeline.name}/`, `quarantine/${pipeline.name}/`, `_state/ingest/${pipeline.name}/`, '_audit/'];
  for (const output of pipeline.outputs) {
    for (const table of [output, `${output}_current`]) {
      const { database, table: name } = parseTableName(table);
      prefixes.push(tableDataPrefix(database, name), tableStatePrefix(database, name));
    }
  }
  return [...new Set(prefixes)].map((prefix) => lakeKeyPrefix(lakePrefix, prefix));
}

/** Key prefixes that every runner reads besides its own: the vocabulary releases that code checks use. */
export function sharedReadPrefixes(lakePrefix: string): string[] {
  return [lakeKeyPrefix(lakePrefix, 'vocabularies/')];
}
