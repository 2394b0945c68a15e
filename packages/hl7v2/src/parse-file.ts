import { Hl7ParseError } from './errors';
import { Hl7Input } from './input';
import type { Hl7Warning } from './issues';
import type { Hl7Message } from './message';
import type { Hl7ParseOptions } from './options';
import { Hl7ParseSession, mergeParseResults, type Hl7ParseResult } from './parse-session';

export type { Hl7ParseResult } from './parse-session';

/**
 * Parse an ER7 (pipe-delimited) input holding one message, several messages, or FHS/BHS
 * envelopes around them. A message that cannot be parsed becomes a problem and the others still
 * parse. Bytes are decoded per message (see `Hl7Message.charset`); a string is taken as decoded.
 * @throws Hl7OptionsError when an option names a character set this parser does not decode.
 */
export function parseHl7File(
  input: Uint8Array | string,
  options: Hl7ParseOptions = {},
): Hl7ParseResult {
  const session = new Hl7ParseSession(options);
  const first = session.add(Hl7Input.from(input), 1);
  return mergeParseResults([first, session.finish()]);
}

/**
 * Parse an input that must hold exactly one message, such as an MLLP frame.
 * @throws Hl7ParseError for the first problem, or when the input contains no message or several.
 */
export function parseHl7Message(
  input: Uint8Array | string,
  options: Hl7ParseOptions = {},
): { message: Hl7Message; warnings: Hl7Warning[] } {
  const result = parseHl7File(input, options);
  const [problem] = result.problems;
  if (problem) throw new Hl7ParseError(problem);

  const message = result.messages[0];
  if (message === undefined || result.messages.length > 1) {
    throw new Hl7ParseError({
      code: 'not-one-message',
      reason: `expected one HL7 v2 message, found ${result.messages.length}`,
      position: options.file === undefined ? {} : { file: options.file },
      hint: 'Parse inputs that may hold several messages with parseHl7File.',
    });
  }
  return { message, warnings: result.warnings };
}
