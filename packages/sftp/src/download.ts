import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { SftpConnection } from './connection';
import { SftpFileChangedError, SftpSinkError } from './errors';
import type { SftpFileEntry } from './listing';

/**
 * Caller's storage function for one download attempt: it reads `body`, stores the bytes and
 * resolves once they are stored.
 * When the transfer fails, `body` is destroyed with the error, so reading it with `for await`,
 * `stream.pipeline` or `pipe` with an error handler rejects. The sink must then reject too and
 * keep nothing of that attempt. A sink that resolves without reading `body` to its end fails
 * the download.
 */
export type SftpSink<T> = (body: Readable, entry: SftpFileEntry) => Promise<T>;

/** The checked outcome of one successful download. */
export interface TransferResult<T> {
  /** Hex SHA-256 of the bytes the sink received. */
  sha256: string;
  /** Bytes the sink received; equal to the listed size. */
  bytes: number;
  /** Value the sink resolved to. */
  sinkResult: T;
}

/**
 * Stream one remote file into the sink once, hashing and counting on the way. The body errors
 * instead of ending when the byte count differs from the listed size, so a sink never receives
 * a clean end of a file that changed.
 */
export async function transferOnce<T>(
  connection: SftpConnection,
  entry: SftpFileEntry,
  sink: SftpSink<T>,
  onBytes: (byteCount: number) => void,
): Promise<TransferResult<T>> {
  const target = { ...connection.target, remotePath: entry.remotePath };
  const hash = createHash('sha256');
  let bytes = 0;
  const changed = (): SftpFileChangedError => {
    const read = bytes > entry.size ? `more than ${entry.size}` : `only ${bytes}`;
    return new SftpFileChangedError(
      `${entry.remotePath} on ${target.host}:${target.port} changed after it was listed: the listing reported ${entry.size} bytes, ${read} were read`,
      target,
      entry.size,
      bytes,
    );
  };

  const body = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      bytes += chunk.length;
      if (bytes > entry.size) {
        callback(changed());
        return;
      }
      hash.update(chunk);
      onBytes(chunk.length);
      callback(null, chunk);
    },
    flush(callback: TransformCallback): void {
      callback(bytes === entry.size ? null : changed());
    },
  });
  let bodyError: Error | undefined;
  body.on('error', (error) => {
    bodyError ??= error;
  });

  const remote = connection.createReadStream(entry.remotePath);
  const failBody = (error: unknown): void => {
    body.destroy(connection.toError('read', entry.remotePath, error));
  };
  remote.on('error', failBody);
  const stopWatching = connection.onLost(() => failBody(new Error('connection closed')));
  remote.pipe(body);

  try {
    let sinkResult: T;
    try {
      sinkResult = await sink(body, entry);
    } catch (sinkError) {
      // The body's own error is the cause when there is one; the sink only passed it on.
      throw bodyError ?? sinkError;
    }
    if (bodyError) throw bodyError;
    if (!body.readableEnded) {
      throw new SftpSinkError(
        `the sink for ${entry.remotePath} resolved before reading the whole file, so the download cannot be checked`,
        target,
        { hint: 'Resolve the sink only after the body stream has ended.' },
      );
    }
    return { sha256: hash.digest('hex'), bytes, sinkResult };
  } finally {
    stopWatching();
    remote.unpipe(body);
    if (!remote.destroyed) remote.destroy();
    if (!body.destroyed) body.destroy();
  }
}
