// Real: the shared HL7 v2 test files and synthetic batches, parsed whole and as streams.
// Faked: the byte streams are in-memory async generators instead of file streams.
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { Hl7OptionsError } from './errors';
import { parseHl7File } from './parse-file';
import { parseHl7Stream } from './parse-stream';
import { describeParseResult, parseInChunks } from './soak/parse-checks';

/** Join every shared file, each ended by a CR, inside one file envelope. */
function concatenatedCorpus(): Buffer {
  const files = listHl7Fixtures().filter((name) => !name.startsWith('file_'));
  const parts = files.map((name) => {
    const bytes = readHl7Fixture(name);
    const last = bytes[bytes.length - 1];
    return last === 0x0d || last === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\r')]);
  });
  return Buffer.concat([Buffer.from('FHS|^~\\&\r'), ...parts, Buffer.from('FTS|1\r')]);
}

const fileCases = listHl7Fixtures().flatMap((file) =>
  [1, 7, 64 * 1024].map((chunkSize) => ({
    case: `${file} in ${chunkSize}-byte chunks`,
    file,
    chunkSize,
  })),
);

describe('parseHl7Stream', () => {
  it.each(fileCases)('$case matches parseHl7File', async ({ file, chunkSize }) => {
    const bytes = readHl7Fixture(file);
    const options = { file };

    const streamed = await parseInChunks(bytes, chunkSize, options);

    expect(describeParseResult(streamed)).toEqual(
      describeParseResult(parseHl7File(bytes, options)),
    );
  });

  it.each([
    { case: 'strict mode', options: { mode: 'strict' as const }, messages: 16 },
    { case: 'lenient mode', options: {}, messages: 38 },
  ])(
    'matches parseHl7File over the concatenated corpus in $case',
    async ({ options, messages }) => {
      const bytes = concatenatedCorpus();
      const whole = parseHl7File(bytes, options);

      const streamed = await parseInChunks(bytes, 7, options);

      expect(whole.messages).toHaveLength(messages);
      expect(describeParseResult(streamed)).toEqual(describeParseResult(whole));
    },
  );

  it('keeps a message after an inner byte-order mark', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const message = (id: string): Buffer =>
      Buffer.from(
        `MSH|^~\\&|APP|FAC|||20240102||ADT^A08^ADT_A01|${id}|P|2.5\rEVN|A08\rPID|1\rPV1|1|O\r`,
      );
    const bytes = Buffer.concat([bom, message('A'), bom, message('B')]);

    const streamed = await parseInChunks(bytes, 3);

    expect(streamed.messages.map((parsed) => parsed.get('MSH-10'))).toEqual(['A', 'B']);
    expect(streamed.messages[1]?.range.start).toBe(bom.length + message('A').length + bom.length);
    expect(streamed.warnings.map((warning) => [warning.code, warning.position])).toEqual([
      [
        'embedded-byte-order-mark',
        { line: 5, record: 1, controlId: 'B', segment: 'MSH', segmentIndex: 0 },
      ],
    ]);
    expect(describeParseResult(streamed)).toEqual(describeParseResult(parseHl7File(bytes)));
  });

  it('yields each message before the stream ends', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let index = 0; ; index++) {
        yield Buffer.from(`MSH|^~\\&|APP||||||ACK|C${index}|P|2.5\rMSA|AA|X${index}\r`);
      }
    }
    const controlIds: Array<string | null | undefined> = [];
    for await (const result of parseHl7Stream(endless())) {
      controlIds.push(...result.messages.map((message) => message.get('MSH-10')));
      if (controlIds.length >= 3) break;
    }

    expect(controlIds).toEqual(['C0', 'C1', 'C2']);
  });

  it('rejects an unknown charset option before reading', async () => {
    let read = false;
    async function* watched(): AsyncGenerator<Uint8Array> {
      read = true;
      yield Buffer.from('MSH|^~\\&|A\r');
    }

    await expect(parseInChunks(Buffer.alloc(0), 1, { defaultCharset: 'klingon' })).rejects.toThrow(
      Hl7OptionsError,
    );
    const iterator = parseHl7Stream(watched(), { charsetOverride: 'ebcdic' })[
      Symbol.asyncIterator
    ]();
    await expect(iterator.next()).rejects.toThrow(
      'the charsetOverride option names a character set',
    );
    expect(read).toBe(false);
  });
});
