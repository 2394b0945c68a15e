import { performance } from 'node:perf_hooks';
import type { FetchProgress } from './fetch-all';

export interface TerminalProgressOptions {
  /** Stream to draw on, `process.stderr` by default. Nothing is written unless it is a TTY. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Shortest time between two redraws caused by byte counts. Default 100. */
  minRedrawIntervalMs?: number;
  /** Source of monotonic milliseconds, for tests. */
  nowMs?: () => number;
}

export interface TerminalProgress {
  /** Pass as `onProgress` to `fetchAll`. */
  update: (progress: FetchProgress) => void;
  /** Draw the last state and end the line. */
  finish: () => void;
}

/**
 * Create a one-line progress display for a terminal: `sftp: 12/40 files, 1 failed, 3.2 MiB of 10.0 MiB`,
 * redrawn in place. Silent when the stream is not a TTY, so logs and pipes stay clean.
 */
export function createTerminalProgress(options: TerminalProgressOptions = {}): TerminalProgress {
  const stream = options.stream ?? process.stderr;
  const minRedrawIntervalMs = options.minRedrawIntervalMs ?? 100;
  const nowMs = options.nowMs ?? (() => performance.now());
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };

  let last: FetchProgress | undefined;
  let lastDrawMs = Number.NEGATIVE_INFINITY;
  const draw = (progress: FetchProgress): void => {
    lastDrawMs = nowMs();
    // Carriage return and erase-to-end-of-line redraw the same line.
    stream.write(`\r${formatProgressLine(progress)}\x1b[K`);
  };

  return {
    update(progress) {
      last = progress;
      if (progress.kind !== 'bytes' || nowMs() - lastDrawMs >= minRedrawIntervalMs) draw(progress);
    },
    finish() {
      if (!last) return;
      draw(last);
      stream.write('\n');
      last = undefined;
    },
  };
}

/** Format progress as one line of plain text. */
export function formatProgressLine(progress: FetchProgress): string {
  const failed = progress.filesFailed > 0 ? `, ${progress.filesFailed} failed` : '';
  return `sftp: ${progress.filesDone}/${progress.filesTotal} files${failed}, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`;
}

/** Format a byte count in binary units: `512 B`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${units[unit]}` : `${value.toFixed(1)} ${units[unit]}`;
}
