import { closeDuckDb, openDuckDb, partitionPathOf, quoteIdentifier, quoteLiteral, type TableStore } from '@carelake/tables';
import { LegalHoldError } from './errors';
import type { HeldPartition } from './legal-holds';

/**
 * Lists the partitions of a table that contain rows of a patient, by reading the committed files
 * of its latest snapshot, in whichever tier they sit. An unpartitioned table has the one partition `''`.
 */
export async function findPatientPartitions(tables: TableStore, table: string, patientKey: string, column = 'patient_key'): Promise<HeldPartition[]> {
  const snapshot = await tables.snapshot(table);
  if (!snapshot) {
    throw new LegalHoldError(`table ${table} has no commits`, { hint: 'Check the table name with carelake catalog list.' });
  }
  if (!snapshot.columns.some((candidate) => candidate.name === column)) {
    throw new LegalHoldError(`table ${table} has no ${column} column, so a patient hold cannot find its rows`, {
      hint: 'Place a dataset or partition hold on this table instead.',
    });
  }
  if (snapshot.files.length === 0) return [];

  const duck = await openDuckDb({ threads: 1 });
  try {
    const partitions = await tables.withMaterialized(snapshot, async (pathOf) => {
      const found = new Set<string>();
      if (snapshot.partitionBy.includes(column)) {
        for (const file of snapshot.files) {
          if (file.partition[column] === patientKey) found.add(partitionPathOf(snapshot, file));
        }
        return found;
      }
      const list = `[${snapshot.files.map((file) => quoteLiteral(pathOf(file.key))).join(', ')}]`;
      const sql = `SELECT DISTINCT filename FROM read_parquet(${list}, union_by_name = true, filename = true) WHERE ${quoteIdentifier(column)} = ${quoteLiteral(patientKey)}`;
      const reader = await duck.connection.runAndReadAll(sql);
      const matchingPaths = new Set(reader.getRowsJS().map((row) => String(row[0])));
      for (const file of snapshot.files) {
        if (matchingPaths.has(pathOf(file.key))) found.add(partitionPathOf(snapshot, file));
      }
      return found;
    });
    return [...partitions].sort().map((partition) => ({ table, partition }));
  } finally {
    closeDuckDb(duck);
  }
}
