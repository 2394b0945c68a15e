import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AuditError } from './errors';
import { isErrnoException } from './layout';

export interface TextLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/**
 * Stream the lines of a text file, so that a segment of millions of events is never
 * held in memory. With `sizeBytes`, only the first bytes are read: the part that
 * existed at a snapshot. Yields nothing when the file does not exist.
 */
export async function* readTextLines(
  filePath: string,
  sizeBytes?: number,
): AsyncGenerator<TextLine> {
  if (sizeBytes === 0) return;
  const range = sizeBytes === undefined ? {} : { start: 0, end: sizeBytes - 1 };
  const input = createReadStream(filePath, { encoding: 'utf8', ...range });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      yield { line, text };
    }
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return;
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
}

/**
 * Write one record as one line with a single `write` on a handle opened in append
 * mode, so that a reader never sees two records interleaved, then fsync it if asked.
 */
export async function appendJsonLine(
  handle: FileHandle,
  record: object,
  fsync: boolean,
): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
  const { bytesWritten } = await handle.write(bytes);
  if (bytesWritten !== bytes.length) {
    throw new AuditError(
      `short write: ${bytesWritten} of ${bytes.length} bytes reached the audit file`,
      {
        hint: 'The disk may be full. The file now ends with an incomplete line that verify reports.',
      },
    );
  }
  if (fsync) await handle.sync();
}

const TAIL_WINDOW_BYTES = 4096;

/**
 * Read the last line of a file open for reading, without its newline, or undefined when
 * the file is empty. Reads backwards from the end in growing windows, because the
 * index grows by two lines per writer process and is never read whole to append.
 * Throws when the file does not end with a newline: its last record is incomplete.
 */
export async function readLastLine(
  handle: FileHandle,
  fileLabel: string,
): Promise<string | undefined> {
  const { size } = await handle.stat();
  if (size === 0) return undefined;

  for (let windowBytes = TAIL_WINDOW_BYTES; ; windowBytes *= 2) {
    const start = Math.max(0, size - windowBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);

    if (buffer[buffer.length - 1] !== 0x0a) {
      throw new AuditError(`${fileLabel} ends with an incomplete line`, {
        hint: 'A writer stopped in the middle of a record. Run carelake audit verify to see the damage.',
      });
    }
    if (buffer.length === 1) return '';
    const newlineBefore = buffer.lastIndexOf(0x0a, buffer.length - 2);
    if (newlineBefore >= 0 || start === 0) {
      return buffer.subarray(newlineBefore + 1, buffer.length - 1).toString('utf8');
    }
  }
}
