import { VocabError } from './errors';

/** The bytes of a release file: all at once, or as chunks from a stream. */
export type VocabInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ReadOptions {
  /** Name of the input (its landing key or file name), stamped on every problem and error. */
  file: string;
  /**
   * Maximum length of one line in bytes. A longer line is skipped with a `line-too-long` problem,
   * so that a file without line breaks cannot fill memory. Defaults to `DEFAULT_MAX_LINE_BYTES`.
   */
  maxLineBytes?: number;
}

/** 1 MiB: RxNorm allows 4,000 characters in RXNSAT's ATV, the longest field of these formats. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Size of the pieces a single byte array is split into, so that batches stay small. */
const INPUT_PIECE_BYTES = 64 * 1024;

/** Returns `maxLineBytes`, or throws when it is not a positive integer. */
export function resolveMaxLineBytes(options: ReadOptions): number {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new VocabError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`, {
      position: { file: options.file },
    });
  }
  return maxLineBytes;
}

/** Yields the chunks of the input, checking that each is bytes. */
export async function* chunksOf(input: VocabInput, file: string): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    for (let offset = 0; offset < input.length; offset += INPUT_PIECE_BYTES) {
      yield input.subarray(offset, offset + INPUT_PIECE_BYTES);
    }
    return;
  }
  for await (const chunk of input) {
    if (!(chunk instanceof Uint8Array)) {
      throw new VocabError(
        `the input yielded a ${typeof chunk} where bytes (a Uint8Array or Buffer) were expected`,
        {
          position: { file },
          hint: 'Open the file without an encoding, so that the stream yields Buffers.',
        },
      );
    }
    yield chunk;
  }
}

/** Returns the last part of a path or lake key, where release file names are recognized. */
export function baseNameOf(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(slash + 1);
}
