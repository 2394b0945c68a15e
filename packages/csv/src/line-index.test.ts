// Real: LineIndex over byte chunks cut at every possible place; nothing is faked.
import { LineIndex } from './line-index';

/** Adds `text` in chunks of `size` bytes and returns the line of every byte offset. */
function linesOf(text: string, size: number): { lines: number[]; lastLine: number } {
  const bytes = Buffer.from(text, 'latin1');
  const index = new LineIndex();
  for (let offset = 0; offset < bytes.length; offset += size) index.add(bytes.subarray(offset, offset + size));
  index.finish();
  const lines = Array.from({ length: bytes.length }, (_, offset) => index.lineAt(offset));
  return { lines, lastLine: index.lastLine() };
}

describe('LineIndex', () => {
  it.each([
    { case: 'LF', text: 'ab\ncd\n', lines: [1, 1, 1, 2, 2, 2], lastLine: 2 },
    { case: 'CRLF counts once', text: 'a\r\nb', lines: [1, 1, 1, 2], lastLine: 2 },
    { case: 'lone CR', text: 'a\rb\r', lines: [1, 1, 2, 2], lastLine: 2 },
    { case: 'mixed endings', text: 'a\r\n\nb\rc', lines: [1, 1, 1, 2, 3, 3, 4], lastLine: 4 },
    { case: 'blank lines', text: '\n\n\nx', lines: [1, 2, 3, 4], lastLine: 4 },
    { case: 'final CR', text: 'a\r', lines: [1, 1], lastLine: 1 },
    { case: 'no line break', text: 'abc', lines: [1, 1, 1], lastLine: 1 },
  ])('maps offsets to lines: $case', ({ text, lines, lastLine }) => {
    for (const size of [1, 2, 3, text.length]) {
      const result = linesOf(text, size);

      expect({ size, lines: result.lines }).toEqual({ size, lines });
      expect({ size, lastLine: result.lastLine }).toEqual({ size, lastLine });
    }
  });

  it('reports 0 lines for an empty stream', () => {
    const index = new LineIndex();
    index.finish();

    expect(index.lastLine()).toBe(0);
  });

  it('keeps counting after dropping passed line starts', () => {
    const index = new LineIndex();
    const line = Buffer.from('x\n');
    for (let count = 0; count < 5000; count++) index.add(line);
    index.finish();

    expect(index.lineAt(0)).toBe(1);
    expect(index.lineAt(2 * 2500)).toBe(2501);
    expect(index.lineAt(2 * 4999 + 1)).toBe(5000);
    expect(index.lastLine()).toBe(5000);
  });

  it('rejects an offset below one already asked', () => {
    const index = new LineIndex();
    index.add(Buffer.from('a\nb\n'));
    index.lineAt(3);

    expect(() => index.lineAt(1)).toThrow('offsets must not decrease');
  });
});
