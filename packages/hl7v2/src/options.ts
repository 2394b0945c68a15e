/**
 * Parser behaviour for input that bends the standard. `lenient` (the default) accepts, with a
 * warning: LF, CRLF, mixed and doubled segment terminators, a missing final terminator,
 * line breaks inside segments, an empty MSH-9, MSH-10 or MSH-12, an unsupported MSH-18 charset,
 * and missing or unmatched envelope trailers. `strict` rejects the message each of these touches;
 * when only envelope segments are touched, it reports a problem and rejects no message. Invalid
 * UTF-8, a mislabelled charset and a wrong trailer count are warnings in both modes.
 */
export type Hl7ParseMode = 'lenient' | 'strict';

export interface Hl7ParseOptions {
  mode?: Hl7ParseMode;
  /** Name of the input (a lake key or path), stamped on every problem and warning position. */
  file?: string;
}
