import { createRequire } from 'node:module';

/**
 * The Arrow IPC writer, loaded on first use: apache-arrow takes a noticeable part of the CLI's
 * start-up, and only `--format arrow` needs it.
 */
export function loadArrowWriter(): (typeof import('./result-arrow'))['writeResultArrow'] {
  const loaded = createRequire(__filename)('./result-arrow') as typeof import('./result-arrow');
  return loaded.writeResultArrow;
}
