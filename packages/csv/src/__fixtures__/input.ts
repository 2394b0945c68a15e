import { collectCsv, decodeCsv, type DecodeCsvOptions } from '../decode';
import type { CsvProblem, CsvRecord } from '../problems';
import type { CsvSchemaInput } from '../schema';

export const FILE = 'landing/partner-a/eligibility-2024-05.csv';

/** Yields the bytes in chunks of `size` bytes, as a slow stream would deliver them. */
export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** Decodes UTF-8 text, or bytes, in chunks of `chunkBytes` bytes, collecting every item. */
export async function decodeAll(
  input: string | Uint8Array,
  schema: CsvSchemaInput,
  chunkBytes = 64 * 1024,
  options: Partial<DecodeCsvOptions> = {},
): Promise<{ records: CsvRecord[]; problems: CsvProblem[] }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return collectCsv(decodeCsv(chunksOf(bytes, chunkBytes), schema, { file: FILE, ...options }));
}

/** Copies the problem without its reason, for comparing positions and codes. */
export function located(problem: CsvProblem): Omit<CsvProblem, 'reason' | 'kind' | 'file'> {
  const { reason: _reason, kind: _kind, file: _file, ...rest } = problem;
  return rest;
}
