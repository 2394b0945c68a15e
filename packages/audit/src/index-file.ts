import { open } from 'node:fs/promises';
import path from 'node:path';
import { computeRecordHash, genesisHash, INDEX_CHAIN_ID } from './chain';
import { AuditError } from './errors';
import { appendJsonLine, readLastLine } from './json-lines';
import { INDEX_FILE } from './layout';
import { parseIndexRecord, type IndexRecord } from './parse-records';

export type IndexEntry =
  | { kind: 'open'; segment: string }
  | { kind: 'close'; segment: string; lastSeq: number | undefined; lastHash: string };

/**
 * Append one record to `index.jsonl`, chained to its last record. The caller must
 * hold the index lock, since reading the last record and appending are two steps.
 */
export async function appendIndexRecord(
  dir: string,
  entry: IndexEntry,
  time: Date,
  fsync: boolean,
): Promise<IndexRecord> {
  const indexPath = path.join(dir, INDEX_FILE);
  // 'a+' creates the file if needed, appends every write and still allows positional reads.
  const handle = await open(indexPath, 'a+');
  try {
    const lastLine = await readLastLine(handle, INDEX_FILE);
    let seq = 0;
    let prev = genesisHash(INDEX_CHAIN_ID);
    if (lastLine !== undefined) {
      const last = parseIndexRecord(lastLine);
      if (!last.ok) {
        throw new AuditError(
          `the last line of ${INDEX_FILE} is not a valid index record: ${last.message}`,
          {
            position: { file: indexPath },
            hint: `Run carelake audit verify to see the damage. To keep logging, move ${INDEX_FILE} aside as evidence; verify then reports the older segments as unlisted.`,
          },
        );
      }
      seq = last.value.seq + 1;
      prev = last.value.hash;
    }

    const unsealed: Omit<IndexRecord, 'hash'> = { seq, time: time.toISOString(), ...entry, prev };
    if (entry.kind === 'close' && entry.lastSeq === undefined) delete unsealed.lastSeq;
    const record: IndexRecord = { ...unsealed, hash: computeRecordHash(unsealed) };
    await appendJsonLine(handle, record, fsync);
    return record;
  } finally {
    await handle.close();
  }
}
