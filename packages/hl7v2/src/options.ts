/**
 * Parser behaviour for input that bends the standard. `lenient` (the default) accepts, with a
 * warning: LF, CRLF, mixed and doubled segment terminators, a missing final terminator,
 * line breaks inside segments, an empty MSH-9, MSH-10 or MSH-12, an unsupported MSH-18 charset,
 * and missing or unmatched envelope trailers. `strict` rejects the message each of these touches;
 * when only envelope segments are touched, it reports a problem and rejects no message. Some
 * conditions are warnings in both modes, because the data is kept as it was read: invalid UTF-8,
 * a mislabelled charset, a wrong trailer count, an unterminated escape, a byte-order mark inside
 * the input, a run-on segment, and problems with the message structure or version.
 */
export type Hl7ParseMode = 'lenient' | 'strict';

export interface Hl7ParseOptions {
  mode?: Hl7ParseMode;
  /** Name of the input (a lake key or path), stamped on every problem and warning position. */
  file?: string;
  /**
   * Character set of byte input whose MSH-18 is empty: an encoding label (`utf-8`,
   * `windows-1252`, `iso-8859-1`, ...) or an MSH-18 name (`8859/1`, `cp1252`). UTF-8 when unset.
   */
  defaultCharset?: string;
  /**
   * Character set of every message of byte input, whatever MSH-18 declares, for a feed known to
   * mislabel its text. Same names as `defaultCharset`.
   */
  charsetOverride?: string;
}
