import { parse } from 'csv-parse/sync';
import { VocabFileError } from './errors';
import { chunksOf, type VocabInput } from './input';

const LF = 0x0a;
/** A header longer than this is not a header: the file is likely binary or has no line breaks. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads the header row of a CSV file without consuming the input: returns the column names and
 * an input that yields every byte again, header included, so that line numbers stay right.
 * Throws `VocabFileError` when the file is empty or its first line is not a CSV header.
 */
export async function peekCsvHeader(
  input: VocabInput,
  file: string,
): Promise<{ names: string[]; input: AsyncIterable<Uint8Array> }> {
  const iterator = chunksOf(input, file)[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let bufferedBytes = 0;
  let sawLineBreak = false;
  while (!sawLineBreak && bufferedBytes <= MAX_HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    bufferedBytes += next.value.length;
    sawLineBreak = next.value.includes(LF);
  }
  const replay = replayInput(buffered, iterator);

  const head = Buffer.concat(buffered, bufferedBytes);
  const firstLineBreak = head.indexOf(LF);
  if (firstLineBreak === -1 && bufferedBytes > MAX_HEADER_BYTES) {
    await iterator.return?.(undefined);
    throw new VocabFileError(
      `the first line is longer than ${MAX_HEADER_BYTES} bytes, so it is not a CSV header row`,
      {
        position: { file, line: 1 },
      },
    );
  }
  const names = parseHeaderLine(
    head.subarray(0, firstLineBreak === -1 ? head.length : firstLineBreak),
    file,
  );
  if (names.length === 0) {
    await iterator.return?.(undefined);
    throw new VocabFileError('the file has no header row: it is empty or its first line is blank', {
      position: { file, line: 1 },
    });
  }
  return { names, input: replay };
}

async function* replayInput(
  buffered: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* buffered;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function parseHeaderLine(bytes: Uint8Array, file: string): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  if (text.trim() === '') return [];
  try {
    const rows = parse(text, { relax_column_count: true }) as string[][];
    return (rows[0] ?? []).map((name) => name.trim());
  } catch (error) {
    throw new VocabFileError(
      'the header row is not valid CSV: a quote is not closed or is followed by other text',
      {
        position: { file, line: 1 },
        cause: error,
      },
    );
  }
}
