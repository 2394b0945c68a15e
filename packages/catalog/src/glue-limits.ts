// Length limits of the Glue Data Catalog API (AWS Glue API reference: `TableInput`,
// `Column`, `PartitionInput`), enforced by every catalog so that a table that
// registers locally also registers on AWS. The reference states some in bytes
// and some in characters, so they are checked on UTF-8 bytes, the stricter reading.

export const MAX_TABLE_DESCRIPTION_BYTES = 2048;
export const MAX_COLUMN_COMMENT_BYTES = 255;
export const MAX_PARAMETER_KEY_BYTES = 255;
export const MAX_PARAMETER_VALUE_BYTES = 512_000;
/** Each value of `PartitionInput.Values` is 1 to 1024 long. */
export const MAX_PARTITION_VALUE_BYTES = 1024;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
