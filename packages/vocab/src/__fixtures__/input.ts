import { collectVocab, type VocabItem, type VocabProblem } from '../problems';
import type { ReadOptions, VocabInput } from '../input';
import { loincCheckDigit } from '../loinc-number';
import { verhoeffCheckDigit } from '../sctid';

/** A loader as the package exports them. */
export type Loader<T, O extends ReadOptions = ReadOptions> = (
  input: VocabInput,
  options: O,
) => AsyncGenerator<VocabItem<T>>;

/** Line endings and byte-order marks a release file may come with. */
export const ENCODINGS = [
  { case: 'LF', lineEnd: '\n', bom: false },
  { case: 'CRLF', lineEnd: '\r\n', bom: false },
  { case: 'CRLF with a UTF-8 BOM', lineEnd: '\r\n', bom: true },
  {
    case: 'LF with a UTF-8 BOM, no final line break',
    lineEnd: '\n',
    bom: true,
    noFinalBreak: true,
  },
] as const;

export type Encoding = (typeof ENCODINGS)[number];

/** Joins lines into the bytes of a file with the given line ending and byte-order mark. */
export function fileBytes(lines: readonly string[], encoding: Encoding = ENCODINGS[0]): Buffer {
  const text =
    lines.join(encoding.lineEnd) +
    ('noFinalBreak' in encoding && encoding.noFinalBreak ? '' : encoding.lineEnd);
  return Buffer.concat([
    Buffer.from(encoding.bom ? [0xef, 0xbb, 0xbf] : []),
    Buffer.from(text, 'utf8'),
  ]);
}

/** Yields the bytes in chunks of `size` bytes, as a slow stream would deliver them. */
export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size);
}

/** Runs a loader over bytes cut into chunks of `chunkBytes`, collecting records and problems. */
export async function readAll<T, O extends ReadOptions>(
  loader: Loader<T, O>,
  bytes: Uint8Array,
  options: O,
  chunkBytes = 7,
): Promise<{ records: T[]; problems: VocabProblem[] }> {
  return collectVocab(loader(chunksOf(bytes, chunkBytes), options));
}

/** Returns the problems' positions and codes, without the reason text, for comparing. */
export function located(
  problems: readonly VocabProblem[],
): Array<Pick<VocabProblem, 'code' | 'line' | 'field'>> {
  return problems.map(({ code, line, field }) => ({
    code,
    line,
    ...(field === undefined ? {} : { field }),
  }));
}

/** Returns a synthetic LOINC number with a right check digit, such as `900001-4`. */
export function syntheticLoincNumber(serial: number): string {
  return `${serial}-${loincCheckDigit(String(serial))}`;
}

const PARTITION_DIGIT = { concept: '0', description: '1', relationship: '2' } as const;

/** Returns a synthetic SCTID in the short format: an item id, partition 0x, and a Verhoeff check digit. */
export function syntheticSctid(
  itemId: number | bigint,
  partition: keyof typeof PARTITION_DIGIT,
): string {
  const body = `${itemId}0${PARTITION_DIGIT[partition]}`;
  return `${body}${verhoeffCheckDigit(body)}`;
}
