import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while computing their SHA-256 and counting them. */
export class Sha256Transform extends Transform {
  private readonly hash = createHash('sha256');
  private digestHex: string | undefined;
  private byteCount = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.byteCount += chunk.byteLength;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digestHex = this.hash.digest('hex');
    callback();
  }

  get sizeBytes(): number {
    return this.byteCount;
  }

  /** Hex SHA-256 of all bytes that passed. Reading it before the input has ended throws. */
  get sha256(): string {
    if (this.digestHex === undefined)
      throw new Error('the SHA-256 is not known before the stream has ended');
    return this.digestHex;
  }
}
