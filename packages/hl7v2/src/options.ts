/**
 * `lenient` (the default) accepts LF, CRLF, mixed and doubled segment terminators, a missing
 * final terminator, line breaks inside segments, missing MSH-9, MSH-10 or MSH-12, unknown
 * charsets and missing envelope trailers, with a warning for each kind. `strict` rejects the
 * message each of these touches, or reports a problem when it touches only envelope segments.
 */
export type Hl7ParseMode = 'lenient' | 'strict';

export interface Hl7ParseOptions {
  mode?: Hl7ParseMode;
  /** Name of the input (a lake key or path), stamped on every problem and warning position. */
  file?: string;
}
