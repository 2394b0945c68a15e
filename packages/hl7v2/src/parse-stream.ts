import { Hl7Input } from './input';
import type { Hl7ParseOptions } from './options';
import { Hl7ParseSession, type Hl7ParseResult } from './parse-session';
import { PieceSplitter } from './piece-splitter';
import { checkChunk, type Hl7SplitOptions, type Hl7StreamPiece } from './split-stream';

/**
 * Parse a byte stream of HL7 v2 messages one piece at a time, with the results `parseHl7File`
 * gives for the same bytes: the same messages, indexes, lines, byte ranges, problems and
 * warnings. Each result contains what became known since the previous one. A message is yielded
 * once the piece after it has arrived, and the last result carries the end-of-input checks.
 * @throws Hl7OptionsError before reading, when an option names an unknown character set.
 * @throws Hl7StreamError when a piece grows past `maxPieceBytes`.
 */
export async function* parseHl7Stream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: Hl7ParseOptions & Hl7SplitOptions = {},
): AsyncGenerator<Hl7ParseResult> {
  const session = new Hl7ParseSession(options);
  // The pieces of each chunk are parsed as they are cut. They share one copy of the chunk,
  // because parsing keeps only the envelope segments still open and the message being built.
  const splitter = new PieceSplitter({
    maxPieceBytes: options.maxPieceBytes,
    shareChunkCopies: true,
  });
  for await (const chunk of chunks) {
    for (const piece of splitter.push(checkChunk(chunk))) {
      const result = parsePiece(session, piece);
      if (result !== undefined) yield result;
    }
  }
  for (const piece of splitter.end()) {
    const result = parsePiece(session, piece);
    if (result !== undefined) yield result;
  }
  yield session.finish();
}

/** Parse one piece; undefined when it completes no message and finds no problem or warning. */
function parsePiece(session: Hl7ParseSession, piece: Hl7StreamPiece): Hl7ParseResult | undefined {
  const result = session.add(Hl7Input.fromPiece(piece.bytes, piece.byteOffset), piece.line);
  const found = result.messages.length + result.problems.length + result.warnings.length;
  return found > 0 ? result : undefined;
}
