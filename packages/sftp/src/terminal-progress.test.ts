// Real: the renderer writing to an in-memory stream. Faked: the stream's TTY flag and the clock.
import { PassThrough } from 'node:stream';
import type { FetchProgress } from './fetch-all';
import { createTerminalProgress, formatBytes, formatProgressLine } from './terminal-progress';

function progress(overrides: Partial<FetchProgress>): FetchProgress {
  return {
    kind: 'bytes',
    filesDone: 0,
    filesFailed: 0,
    filesTotal: 40,
    bytesDone: 0,
    bytesTotal: 10 * 1024 * 1024,
    ...overrides,
  };
}

function capture(isTTY: boolean): {
  stream: PassThrough & { isTTY?: boolean };
  text: () => string;
} {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('formatBytes', () => {
  it.each([
    { case: 'bytes', bytes: 512, expected: '512 B' },
    { case: 'kibibytes', bytes: 1536, expected: '1.5 KiB' },
    { case: 'mebibytes', bytes: 3.2 * 1024 * 1024, expected: '3.2 MiB' },
  ])('formats $case', ({ bytes, expected }) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('formatProgressLine', () => {
  it('shows failures only when there are some', () => {
    expect(formatProgressLine(progress({ filesDone: 12, bytesDone: 3 * 1024 * 1024 }))).toBe(
      'sftp: 12/40 files, 3.0 MiB of 10.0 MiB',
    );
    expect(formatProgressLine(progress({ filesDone: 12, filesFailed: 1 }))).toBe(
      'sftp: 12/40 files, 1 failed, 0 B of 10.0 MiB',
    );
  });
});

describe('createTerminalProgress', () => {
  it('redraws one line on a TTY, throttling byte events', async () => {
    const { stream, text } = capture(true);
    let nowMs = 0;
    const display = createTerminalProgress({
      stream,
      minRedrawIntervalMs: 100,
      nowMs: () => nowMs,
    });

    display.update(progress({ kind: 'listed' }));
    nowMs = 50;
    display.update(progress({ bytesDone: 1024 }));
    nowMs = 200;
    display.update(progress({ bytesDone: 2048 }));
    display.finish();
    await new Promise((resolve) => setImmediate(resolve));

    const draws = text()
      .split('\r')
      .filter((part) => part !== '');
    expect(draws).toEqual([
      'sftp: 0/40 files, 0 B of 10.0 MiB\x1b[K',
      'sftp: 0/40 files, 2.0 KiB of 10.0 MiB\x1b[K',
      'sftp: 0/40 files, 2.0 KiB of 10.0 MiB\x1b[K\n',
    ]);
  });

  it('writes nothing when not a TTY', async () => {
    const { stream, text } = capture(false);
    const display = createTerminalProgress({ stream });

    display.update(progress({ kind: 'listed' }));
    display.finish();
    await new Promise((resolve) => setImmediate(resolve));

    expect(text()).toBe('');
  });
});
