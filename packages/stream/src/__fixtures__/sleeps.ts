import type { Sleep } from '../retry';

/** A sleep that returns at once and records each requested delay. */
export function recordingSleep(): { sleep: Sleep; delaysMs: number[] } {
  const delaysMs: number[] = [];
  const sleep: Sleep = async (ms) => {
    delaysMs.push(ms);
    // Yield to the event loop, as a real timer would, so other work can run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return { sleep, delaysMs };
}
