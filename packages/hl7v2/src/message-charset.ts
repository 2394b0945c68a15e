import {
  charsetForConfig,
  charsetForMsh18,
  DEFAULT_CHARSET,
  isSingleByteCharset,
  SUPPORTED_CHARSETS,
} from './charset';
import { Hl7OptionsError } from './errors';
import type { Hl7ParseMode, Hl7ParseOptions } from './options';
import type { ScannedSegment } from './scan';

/** The character sets a feed's configuration sets, as encoding labels. */
export interface CharsetSettings {
  /** For messages whose MSH-18 is empty. */
  defaultCharset: string;
  /** For every message, whatever MSH-18 declares. */
  override: string | undefined;
}

/** A condition found while decoding, reported as a warning on MSH-18. */
export interface CharsetNote {
  code: 'charset-mismatch' | 'invalid-utf8' | 'unsupported-charset';
  reason: string;
}

export type DecodedMessage =
  | { texts: string[]; charset: string | undefined; notes: CharsetNote[] }
  | { rejected: 'unsupported-charset'; reason: string; hint: string };

/** Source of the charset a message is decoded with. */
type CharsetSource = 'override' | 'MSH-18' | 'default';

const FALLBACK_CHARSET = 'windows-1252';

export const SUPPORTED_CHARSETS_HINT =
  'Supported MSH-18 values: ASCII, UNICODE UTF-8, 8859/1 to 8859/9, 8859/15, cp1252, ' +
  'GB 18030-2000, BIG-5, KS X 1001 and ISO IR87.';

/**
 * Read the charset options.
 * @throws Hl7OptionsError when an option names a character set this parser does not decode.
 */
export function resolveCharsetSettings(options: Hl7ParseOptions): CharsetSettings {
  return {
    defaultCharset: resolveOption('defaultCharset', options.defaultCharset) ?? DEFAULT_CHARSET,
    override: resolveOption('charsetOverride', options.charsetOverride),
  };
}

function resolveOption(key: string, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const charset = charsetForConfig(name);
  if (charset !== undefined) return charset;
  throw new Hl7OptionsError(`the ${key} option names a character set this parser does not decode`, {
    position: { keyPath: key },
    hint: `Use one of ${SUPPORTED_CHARSETS.join(', ')}, or an MSH-18 name such as 8859/1 or cp1252.`,
  });
}

/**
 * Decode the segments of one message. The charset is the configured override, else the one
 * MSH-18 names, else the configured default. Invalid UTF-8 falls back to Windows-1252, which
 * reads every printable ISO-8859-1 character the same way and also the 0x80-0x9F punctuation
 * Windows senders write. Every byte becomes a character either way, so no delimiter is lost.
 * `readMsh18` is called only for byte input, because a string is already decoded.
 */
export function decodeMessageText(
  segments: readonly ScannedSegment[],
  readMsh18: () => string | undefined,
  settings: CharsetSettings,
  mode: Hl7ParseMode,
): DecodedMessage {
  if (segments.every((segment) => segment.input.bytes === undefined)) {
    const texts = segments.map((segment) => segment.input.view.slice(segment.start, segment.end));
    return { texts, charset: undefined, notes: [] };
  }

  const msh18 = readMsh18();
  const notes: CharsetNote[] = [];
  let charset = settings.defaultCharset;
  let source: CharsetSource = 'default';
  if (settings.override !== undefined) {
    charset = settings.override;
    source = 'override';
  } else if (msh18 !== undefined && msh18.trim() !== '') {
    const declared = charsetForMsh18(msh18);
    if (declared !== undefined) {
      charset = declared;
      source = 'MSH-18';
    } else {
      const reason = 'MSH-18 names a character set this parser does not decode';
      if (mode === 'strict') {
        return { rejected: 'unsupported-charset', reason, hint: SUPPORTED_CHARSETS_HINT };
      }
      notes.push({ code: 'unsupported-charset', reason: `${reason}; decoded as ${charset}` });
    }
  }

  // ASCII bytes read the same in every supported charset except ISO-2022-JP, whose escape
  // sequences and shift codes are ASCII bytes, so their one-character-per-byte view already is
  // their text.
  if (charset !== 'iso-2022-jp' && isAsciiMessage(segments)) {
    const texts = segments.map((segment) => segment.input.view.slice(segment.start, segment.end));
    return { texts, charset, notes };
  }

  const utf8Texts = segments.map((segment) => segment.input.decodeUtf8(segment.start, segment.end));
  const isUtf8 = utf8Texts.every((text): text is string => text !== undefined);
  const hasNonAscii = segments.some((segment) =>
    /[\x80-\xff]/.test(segment.input.view.slice(segment.start, segment.end)),
  );
  const decodeAll = (label: string): string[] =>
    segments.map((segment) => segment.input.decode(segment.start, segment.end, label));

  if (charset === DEFAULT_CHARSET) {
    if (isUtf8) {
      if (source === 'MSH-18' && msh18?.trim().toUpperCase() === 'ASCII' && hasNonAscii) {
        notes.push({
          code: 'charset-mismatch',
          reason:
            'MSH-18 declares ASCII but the bytes hold valid UTF-8 non-ASCII text; decoded as UTF-8',
        });
      }
      return { texts: utf8Texts, charset: DEFAULT_CHARSET, notes };
    }
    notes.push({
      code: 'invalid-utf8',
      reason: `${charsetClaim(source, charset)} but the bytes are not valid UTF-8; decoded as ${FALLBACK_CHARSET}`,
    });
    return { texts: decodeAll(FALLBACK_CHARSET), charset: FALLBACK_CHARSET, notes };
  }

  // Interface engines often re-encode messages to UTF-8 and leave MSH-18 as it was. Text in a
  // single-byte charset almost never forms valid multi-byte UTF-8, so UTF-8 wins then, unless
  // the configuration forces the charset.
  if (isSingleByteCharset(charset) && isUtf8 && hasNonAscii) {
    if (source !== 'override') {
      notes.push({
        code: 'charset-mismatch',
        reason: `${charsetClaim(source, charset)} but the bytes are valid UTF-8 with non-ASCII text; decoded as UTF-8`,
      });
      return { texts: utf8Texts, charset: DEFAULT_CHARSET, notes };
    }
    notes.push({
      code: 'charset-mismatch',
      reason: `${charsetClaim(source, charset)} but the bytes are valid UTF-8 with non-ASCII text; decoded as ${charset} as configured`,
    });
  }
  return { texts: decodeAll(charset), charset, notes };
}

/** True when the segments are bytes of one input and all ASCII, checked in one span. */
function isAsciiMessage(segments: readonly ScannedSegment[]): boolean {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (first === undefined || last === undefined) return false;
  if (segments.some((segment) => segment.input !== first.input)) return false;
  return first.input.isAscii(first.start, last.end);
}

function charsetClaim(source: CharsetSource, charset: string): string {
  switch (source) {
    case 'override':
      return `the charset override is ${charset}`;
    case 'MSH-18':
      return `MSH-18 declares ${charset}`;
    case 'default':
      return `MSH-18 is empty or unsupported and the default charset is ${charset}`;
  }
}
