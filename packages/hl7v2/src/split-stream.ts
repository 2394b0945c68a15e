import { Hl7StreamError } from './errors';
import { PieceSplitter } from './piece-splitter';

/** One piece of a byte stream: a message, an envelope segment, or text before the first of them. */
export type Hl7StreamPiece =
  | (Hl7PieceBytes & {
      kind: 'message';
      /** 0-based message index in the stream, the same `Hl7Message.index` parsing gives. */
      index: number;
    })
  | (Hl7PieceBytes & {
      kind: 'envelope';
      /** The envelope segment the piece starts with; segments after it up to the next boundary belong to no message. */
      segmentId: 'FHS' | 'BHS' | 'BTS' | 'FTS';
    })
  | (Hl7PieceBytes & {
      /** Segments or text at the start of the stream, before any MSH or envelope segment. */
      kind: 'leading';
    });

export interface Hl7PieceBytes {
  /** The piece as received, its segment terminators included. */
  bytes: Uint8Array;
  /** 1-based line of the stream where the piece starts, counting CR, LF and CRLF as line breaks. */
  line: number;
  /** Offset of the piece's first byte in the stream. */
  byteOffset: number;
}

export interface Hl7SplitOptions {
  /** Largest piece allowed, in bytes; a longer one raises `Hl7StreamError`. Unlimited when not set. */
  maxPieceBytes?: number;
}

/**
 * Split a byte stream into messages at segment starts, one piece at a time, so that memory
 * contains at most one piece and one chunk. A message starts at `MSH` and a field separator at
 * the start of a line, and FHS, BHS, BTS and FTS start envelope pieces. Boundaries are found
 * exactly as `parseHl7File` finds them, even when a boundary, a CRLF or a byte-order mark is
 * split between two chunks. A UTF-8 byte-order mark at the start of the stream is skipped.
 * Each piece's bytes are a copy of their own, so chunks may be reused once read.
 * @throws Hl7StreamError when a piece grows past `maxPieceBytes`.
 */
export async function* splitHl7Stream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: Hl7SplitOptions = {},
): AsyncGenerator<Hl7StreamPiece> {
  // Pieces are copied one by one, because a caller may keep some of them.
  const splitter = new PieceSplitter({
    maxPieceBytes: options.maxPieceBytes,
    shareChunkCopies: false,
  });
  for await (const chunk of chunks) {
    for (const piece of splitter.push(checkChunk(chunk))) yield piece;
  }
  for (const piece of splitter.end()) yield piece;
}

/** Return the chunk, or raise when a stream yields something other than bytes. */
export function checkChunk(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new Hl7StreamError('the stream yielded a chunk that is not a Uint8Array', {
    hint: 'Pass a byte stream, such as a file read stream without an encoding.',
  });
}
