/** The folder name Hive and Athena use for a null partition value. */
export const HIVE_NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

// Hive's FileUtils.escapePathName escapes these, plus control characters, as %XX.
const HIVE_ESCAPED = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\u007f', '{', '[', ']', '^']);

export function escapePartitionValue(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || HIVE_ESCAPED.has(char)) {
      out += '%' + code.toString(16).toUpperCase().padStart(2, '0');
    } else {
      out += char;
    }
  }
  return out;
}

/** Build the relative folder of one partition, such as `source_format=hl7v2/effective_month=2024-01`. */
export function partitionPath(partitionBy: readonly string[], values: Record<string, string | null>): string {
  return partitionBy
    .map((column) => {
      const value = values[column];
      return `${column}=${value === null || value === undefined ? HIVE_NULL_PARTITION : escapePartitionValue(value)}`;
    })
    .join('/');
}
