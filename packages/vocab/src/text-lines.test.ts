// Real: readTextLines over bytes built in the test, fed in chunks of many sizes. Faked: nothing.
import fc from 'fast-check';
import { chunksOf } from './__fixtures__/input';
import { VocabError } from './errors';
import type { VocabInput } from './input';
import type { VocabProblem } from './problems';
import { readTextLines, type LineItem } from './text-lines';

const FILE = 'landing/vocab/sample.txt';

async function linesOf(input: VocabInput, maxLineBytes = 1024): Promise<LineItem[]> {
  const items: LineItem[] = [];
  for await (const batch of readTextLines(input, { file: FILE, maxLineBytes }))
    items.push(...batch);
  return items;
}

function texts(items: LineItem[]): Array<string | { problem: string; line: number }> {
  return items.map((item) =>
    'text' in item ? item.text : { problem: item.code, line: item.line },
  );
}

describe('readTextLines', () => {
  it.each([
    { case: 'LF', text: 'a\nb\nc\n' },
    { case: 'CRLF', text: 'a\r\nb\r\nc\r\n' },
    { case: 'no final line break', text: 'a\nb\nc' },
    { case: 'byte-order mark', text: '\uFEFFa\r\nb\nc' },
  ])('splits $case into the same lines', async ({ text }) => {
    const items = await linesOf(chunksOf(Buffer.from(text, 'utf8'), 2));
    expect(texts(items)).toEqual(['a', 'b', 'c']);
    expect(items.map((item) => item.line)).toEqual([1, 2, 3]);
  });

  it('keeps a byte-order mark that is not at the start', async () => {
    const items = await linesOf(Buffer.from('a\n\uFEFFb\n', 'utf8'));
    expect(texts(items)).toEqual(['a', '\uFEFFb']);
  });

  it('keeps a CR inside a line', async () => {
    const items = await linesOf(Buffer.from('a\rb\r\n', 'utf8'));
    expect(texts(items)).toEqual(['a\rb']);
  });

  it('reports invalid UTF-8 and reads on', async () => {
    const bytes = Buffer.concat([
      Buffer.from('good\n'),
      Buffer.from([0x62, 0x61, 0xff, 0x64, 0x0a]),
      Buffer.from('ünïcode\n'),
    ]);
    for (const size of [1, 3, 64]) {
      const items = await linesOf(chunksOf(bytes, size));
      expect(texts(items)).toEqual(['good', { problem: 'invalid-encoding', line: 2 }, 'ünïcode']);
    }
  });

  it('skips a line longer than maxLineBytes whatever the chunk size', async () => {
    const bytes = Buffer.from(`short\n${'x'.repeat(40)}\nafter\n`, 'utf8');
    for (const size of [1, 5, 16, 100]) {
      const items = await linesOf(chunksOf(bytes, size), 20);
      expect(texts(items)).toEqual(['short', { problem: 'line-too-long', line: 2 }, 'after']);
    }
  });

  it('reports the length of a skipped line', async () => {
    const items = await linesOf(chunksOf(Buffer.from(`${'y'.repeat(50)}\r\n`), 4), 10);
    const [problem] = items as VocabProblem[];
    expect(problem).toMatchObject({ code: 'line-too-long', line: 1 });
    expect(problem?.reason).toContain('50 bytes');
  });

  it('rejects chunks that are not bytes', async () => {
    const strings = ['a\n'] as unknown as Iterable<Uint8Array>;
    await expect(linesOf(strings)).rejects.toThrow(VocabError);
  });

  it('yields the same lines for any chunking', async () => {
    const lineArbitrary = fc
      .string({ unit: 'grapheme', maxLength: 12 })
      .map((line) => line.replace(/[\r\n]/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArbitrary, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 40 }),
        async (lines, lineEnd, chunkBytes) => {
          const bytes = Buffer.from(lines.join(lineEnd) + lineEnd, 'utf8');
          const items = await linesOf(chunksOf(bytes, chunkBytes));
          expect(texts(items)).toEqual(lines);
        },
      ),
      { seed: 20250301, numRuns: 200 },
    );
  });
});
