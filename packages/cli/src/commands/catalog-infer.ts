import { writeFile } from 'node:fs/promises';
import { parseTableName } from '@carelake/core';
import { inferTableFromFolder, type InferredTable } from '@carelake/catalog';

/**
 * Reads the schema of the Parquet files under a folder, as a Glue crawler would, and drafts the
 * dataset file a steward completes before registering the table. The draft classifies the table as
 * `phi` until a steward classifies it, so it cannot be registered without an owner, a steward and
 * a retention policy.
 */
export async function inferDatasetDraft(
  folder: string,
  options: { table: string; out?: string },
  write: (text: string) => void,
): Promise<void> {
  parseTableName(options.table);
  const inferred = await inferTableFromFolder(folder);
  const draft = renderDatasetDraft(options.table, inferred);

  for (const widening of inferred.widenings) {
    write(`note: column ${widening.column} is ${widening.to} in the draft; some files store it as ${widening.from}`);
  }
  if (options.out === undefined) {
    write(draft.trimEnd());
    return;
  }
  await writeFile(options.out, draft, { flag: 'wx' });
  write(`wrote a draft of ${options.table} from ${inferred.fileCount} file(s) and ${inferred.partitions.length} partition(s) to ${options.out}`);
}

/** Renders an inferred table as a dataset file with the steward's fields left to fill in. */
export function renderDatasetDraft(table: string, inferred: InferredTable): string {
  const lines = [
    `# Drafted by carelake catalog infer from ${inferred.fileCount} Parquet file(s).`,
    '# Describe the table and each column, classify them, and name the owner, steward and retention',
    '# policy, then run carelake catalog register on this file.',
    `table: ${table}`,
    'description: ""',
    'classification: phi',
    'owner:',
    'steward:',
    'retention:',
  ];
  if (inferred.partitionKeys.length > 0) lines.push(`partitionBy: [${inferred.partitionKeys.map((key) => key.name).join(', ')}]`);
  lines.push('columns:');
  for (const column of [...inferred.columns, ...inferred.partitionKeys]) {
    lines.push(`  ${column.name}: { type: ${column.type}, description: "" }`);
  }
  return `${lines.join('\n')}\n`;
}
