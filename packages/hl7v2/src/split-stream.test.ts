// Real: every file of the shared HL7 v2 test set, fed to the splitter in chunks of several sizes.
// Faked: the byte streams are in-memory async generators instead of file streams.
import { Hl7StreamError } from './errors';
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { parseHl7File } from './parse-file';
import { splitHl7Stream, type Hl7StreamPiece } from './split-stream';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.slice(start, start + size);
}

async function collect(pieces: AsyncIterable<Hl7StreamPiece>): Promise<Hl7StreamPiece[]> {
  const collected: Hl7StreamPiece[] = [];
  for await (const piece of pieces) collected.push(piece);
  return collected;
}

const encoder = new TextEncoder();
const CHUNK_SIZES = [1, 7, 64 * 1024];
const fileCases = listHl7Fixtures().flatMap((file) =>
  CHUNK_SIZES.map((chunkSize) => ({
    case: `${file} in ${chunkSize}-byte chunks`,
    file,
    chunkSize,
  })),
);

describe('splitHl7Stream over the shared test files', () => {
  it.each(fileCases)('$case', async ({ file, chunkSize }) => {
    const bytes = readHl7Fixture(file);
    const pieces = await collect(splitHl7Stream(chunked(bytes, chunkSize)));
    const parsed = parseHl7File(bytes);

    const firstOffset = pieces[0]?.byteOffset ?? 0;
    const joined = Buffer.concat(pieces.map((piece) => piece.bytes));
    expect(Buffer.concat([bytes.subarray(0, firstOffset), joined]).equals(bytes)).toBe(true);
    for (const [index, piece] of pieces.entries()) {
      const next = pieces[index + 1];
      if (next) expect(next.byteOffset).toBe(piece.byteOffset + piece.bytes.length);
    }

    const messagePieces = pieces.filter((piece) => piece.kind === 'message');
    for (const message of parsed.messages) {
      const piece = messagePieces.find((candidate) => candidate.index === message.index);
      expect(piece?.line).toBe(message.header.line);
      expect(piece?.byteOffset).toBe(message.range.start);
    }
    const rejected = parsed.problems.filter((problem) => problem.position.record !== undefined);
    expect(messagePieces).toHaveLength(parsed.messages.length + rejected.length);
  });
});

describe('splitHl7Stream boundaries', () => {
  it.each([
    {
      case: 'CR between chunks of a CRLF',
      chunks: ['MSH|^~\\&|A\r', '\nPID|1\r\nMSH|^~\\&|B\r\n'],
      expected: [
        ['message', 1, 'MSH|^~\\&|A\r\nPID|1\r\n'],
        ['message', 3, 'MSH|^~\\&|B\r\n'],
      ],
    },
    {
      case: 'boundary split after MS',
      chunks: ['MSH|^~\\&|A\rMS', 'H|^~\\&|B\r'],
      expected: [
        ['message', 1, 'MSH|^~\\&|A\r'],
        ['message', 2, 'MSH|^~\\&|B\r'],
      ],
    },
    {
      case: 'MSH_MRN at a line start is no boundary',
      chunks: ['MSH|^~\\&|A\rPID|1|x\nMSH_MRN^1\rMSH|^~\\&|B'],
      expected: [
        ['message', 1, 'MSH|^~\\&|A\rPID|1|x\nMSH_MRN^1\r'],
        ['message', 4, 'MSH|^~\\&|B'],
      ],
    },
    {
      case: 'envelope segments',
      chunks: ['BHS|^~\\&\rMSH|^~\\&|A\rBTS|1\r'],
      expected: [
        ['envelope', 1, 'BHS|^~\\&\r'],
        ['message', 2, 'MSH|^~\\&|A\r'],
        ['envelope', 3, 'BTS|1\r'],
      ],
    },
    {
      case: 'leading segments before any header',
      chunks: ['EVN|A01\rPID|1\rMSH|^~\\&|A\r'],
      expected: [
        ['leading', 1, 'EVN|A01\rPID|1\r'],
        ['message', 3, 'MSH|^~\\&|A\r'],
      ],
    },
    {
      case: 'new field separator in a later header',
      chunks: ['MSH|^~\\&|A\rMSH:-+?*:B\rBTS:0\r'],
      expected: [
        ['message', 1, 'MSH|^~\\&|A\r'],
        ['message', 2, 'MSH:-+?*:B\r'],
        ['envelope', 3, 'BTS:0\r'],
      ],
    },
    {
      case: 'blank lines stay with the message before them',
      chunks: ['MSH|^~\\&|A\r\r\n\nMSH|^~\\&|B\r'],
      expected: [
        ['message', 1, 'MSH|^~\\&|A\r\r\n\n'],
        ['message', 4, 'MSH|^~\\&|B\r'],
      ],
    },
  ])('$case', async ({ chunks, expected }) => {
    for (const chunkSize of [1, 2, 1000]) {
      const bytes = encoder.encode(chunks.join(''));
      const pieces = await collect(splitHl7Stream(chunked(bytes, chunkSize)));
      const summary = pieces.map((piece) => [
        piece.kind,
        piece.line,
        Buffer.from(piece.bytes).toString('latin1'),
      ]);
      expect(summary).toEqual(expected);
    }
    // The chunks as given, so a boundary falls exactly where the case puts it.
    const asGiven = await collect(splitHl7Stream(chunks.map((chunk) => encoder.encode(chunk))));
    expect(asGiven.map((piece) => piece.line)).toEqual(expected.map(([, line]) => line));
  });

  it('skips a byte-order mark split across chunks', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('MSH|^~\\&|A\r')]);
    const pieces = await collect(splitHl7Stream(chunked(bytes, 1)));

    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.kind).toBe('message');
    expect(pieces[0]?.byteOffset).toBe(3);
    expect(Buffer.from(pieces[0]?.bytes ?? []).toString('latin1')).toBe('MSH|^~\\&|A\r');
  });

  it('yields before reading further', async () => {
    let chunksRead = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index < 1000; index++) {
        chunksRead += 1;
        yield encoder.encode(`MSH|^~\\&|APP|||||||C${index}|P|2.5\rPID|1\r`);
      }
    }

    const iterator = splitHl7Stream(counted())[Symbol.asyncIterator]();
    const first = await iterator.next();
    await iterator.return?.(undefined);

    expect(first.value).toMatchObject({ kind: 'message', index: 0, line: 1 });
    // The splitter read the chunk with message 1 to see where message 0 ends, and no further.
    expect(chunksRead).toBe(2);
  });

  it.each([
    {
      case: 'piece longer than the limit',
      chunks: [encoder.encode(`MSH|^~\\&|A\rOBX|1|ED|${'x'.repeat(200)}\r`)],
      message: 'the piece starting at line 1 (byte 0) is longer than 64 bytes',
    },
    {
      case: 'chunk that is text',
      chunks: ['MSH|^~\\&|A\r' as unknown as Uint8Array],
      message: 'the stream yielded a chunk that is not a Uint8Array',
    },
  ])('rejects $case', async ({ chunks, message }) => {
    const pieces = collect(splitHl7Stream(chunks, { maxPieceBytes: 64 }));

    await expect(pieces).rejects.toThrow(Hl7StreamError);
    await expect(collect(splitHl7Stream(chunks, { maxPieceBytes: 64 }))).rejects.toThrow(message);
  });
});
