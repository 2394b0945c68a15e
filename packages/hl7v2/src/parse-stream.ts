import { Hl7Input } from './input';
import type { Hl7ParseOptions } from './options';
import { Hl7ParseSession, type Hl7ParseResult } from './parse-session';
import { splitHl7Stream, type Hl7SplitOptions } from './split-stream';

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
  for await (const piece of splitHl7Stream(chunks, options)) {
    const result = session.add(Hl7Input.fromPiece(piece.bytes, piece.byteOffset), piece.line);
    if (result.messages.length + result.problems.length + result.warnings.length > 0) yield result;
  }
  yield session.finish();
}
