import { open } from 'node:fs/promises';

import { isErrnoException } from '../layout';

const TAIL_WINDOW_BYTES = 4096;

/**
 * Return the length in bytes of a file up to and including its last newline, or 0
 * when it has none or does not exist. A writer may be in the middle of a line, and
 * the mirror must copy only lines that are whole.
 */
export async function completeLinesLength(filePath: string): Promise<number> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - TAIL_WINDOW_BYTES);
      const buffer = Buffer.alloc(end - start);
      await handle.read(buffer, 0, buffer.length, start);
      const newline = buffer.lastIndexOf(0x0a);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}
