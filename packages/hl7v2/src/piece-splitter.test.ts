// Real: the shared HL7 v2 test files, split and parsed as streams whose producer reuses one
// chunk buffer, as some readers do. Faked: the byte streams are in-memory generators.
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { parseHl7File } from './parse-file';
import { mergeParseResults, type Hl7ParseResult } from './parse-session';
import { parseHl7Stream } from './parse-stream';
import { describeParseResult } from './soak/parse-checks';
import { splitHl7Stream, type Hl7StreamPiece } from './split-stream';

/** Yield `bytes` in chunks of `size` through one buffer that is overwritten for every chunk. */
function* reusedBuffer(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let start = 0; start < bytes.length; start += size) {
    const chunk = bytes.subarray(start, start + size);
    buffer.fill(0x7e);
    buffer.set(chunk);
    yield buffer.subarray(0, chunk.length);
  }
  buffer.fill(0x7e);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

const cases = listHl7Fixtures().flatMap((file) =>
  [5, 64, 4096].map((chunkSize) => ({
    case: `${file} in ${chunkSize}-byte chunks`,
    file,
    chunkSize,
  })),
);

describe('streams from a reused chunk buffer', () => {
  it.each(cases)('split $case', async ({ file, chunkSize }) => {
    const bytes = readHl7Fixture(file);
    const pieces: Hl7StreamPiece[] = await collect(splitHl7Stream(reusedBuffer(bytes, chunkSize)));

    const firstOffset = pieces[0]?.byteOffset ?? 0;
    const joined = Buffer.concat(pieces.map((piece) => piece.bytes));
    expect(Buffer.concat([bytes.subarray(0, firstOffset), joined]).equals(bytes)).toBe(true);
  });

  it.each(cases)('parse $case', async ({ file, chunkSize }) => {
    const bytes = readHl7Fixture(file);
    const results: Hl7ParseResult[] = await collect(parseHl7Stream(reusedBuffer(bytes, chunkSize)));

    expect(describeParseResult(mergeParseResults(results))).toEqual(
      describeParseResult(parseHl7File(bytes)),
    );
  });
});
