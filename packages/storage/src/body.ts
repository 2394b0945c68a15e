import { describeError } from '@carelake/core';

import { StorageError, quoteKey } from './errors';
import type { ObjectBody } from './object-store';

/**
 * Yield the bytes of a put body as chunks: strings as UTF-8, streams chunk by
 * chunk. A failing stream, or one that yields anything but bytes or strings
 * (an object-mode stream), fails the put with a `StorageError` whose `cause` is
 * the stream's error.
 */
export async function* toByteChunks(body: ObjectBody, key: string): AsyncGenerator<Uint8Array> {
  if (typeof body === 'string') {
    yield Buffer.from(body, 'utf8');
    return;
  }
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  // Iterated by hand so that the stream's own errors are distinguished from the consumer's.
  const chunks = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new StorageError(
          `reading the body of object ${quoteKey(key)} failed: ${describeError(error)}`,
          {
            key,
            operation: 'put',
            cause: error,
          },
        );
      }
      if (next.done) {
        ended = true;
        return;
      }
      yield toBytes(next.value, key);
    }
  } finally {
    // Stopping early (a failed write, a rejected put) must release the stream, as for-await would.
    if (!ended) await chunks.return?.().catch(() => undefined);
  }
}

function toBytes(chunk: unknown, key: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new StorageError(
    `the body stream of object ${quoteKey(key)} yielded a ${typeof chunk} chunk`,
    {
      key,
      operation: 'put',
      hint: 'A body stream must yield Uint8Array or string chunks; do not pass an object-mode stream.',
    },
  );
}

/** Read a stream to its end into one buffer. */
export async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}
