import { TextDecoder } from 'node:util';

/**
 * Character sets a message may name in MSH-18 (HL7 table 0211, plus the Windows code page 1252
 * that senders write as `cp1252` or `windows-1252`), mapped to WHATWG encoding labels. In each,
 * CR and LF are single bytes that no multi-byte character contains, so messages can be found in
 * the bytes before decoding.
 */
const DECLARED_CHARSETS = new Map<string, string>([
  ['ASCII', 'utf-8'],
  ['UNICODE UTF-8', 'utf-8'],
  ['UTF-8', 'utf-8'],
  ['8859/1', 'iso-8859-1'],
  ['8859/2', 'iso-8859-2'],
  ['8859/3', 'iso-8859-3'],
  ['8859/4', 'iso-8859-4'],
  ['8859/5', 'iso-8859-5'],
  ['8859/6', 'iso-8859-6'],
  ['8859/7', 'iso-8859-7'],
  ['8859/8', 'iso-8859-8'],
  ['8859/9', 'iso-8859-9'],
  ['8859/15', 'iso-8859-15'],
  ['CP1252', 'windows-1252'],
  ['WINDOWS-1252', 'windows-1252'],
  ['GB 18030-2000', 'gb18030'],
  ['BIG-5', 'big5'],
  ['KS X 1001', 'euc-kr'],
  ['ISO IR87', 'iso-2022-jp'],
]);

/** Single-byte character sets, where valid multi-byte UTF-8 suggests the declaration is wrong. */
const SINGLE_BYTE_CHARSETS = new Set(
  [...DECLARED_CHARSETS.values()].filter(
    (label) => label.startsWith('iso-8859-') || label === 'windows-1252',
  ),
);

export const DEFAULT_CHARSET = 'utf-8';

/** The encoding labels this parser decodes, as `Hl7Message.charset` reports them. */
export const SUPPORTED_CHARSETS: readonly string[] = [...new Set(DECLARED_CHARSETS.values())];

/** Map an MSH-18 value to its WHATWG encoding label; undefined when it names no supported character set. */
export function charsetForMsh18(msh18: string): string | undefined {
  // Most senders write the name exactly, so the value is looked up as it is first.
  return DECLARED_CHARSETS.get(msh18) ?? DECLARED_CHARSETS.get(msh18.trim().toUpperCase());
}

/**
 * Map a configured character set to its encoding label. Accepts the labels of
 * `SUPPORTED_CHARSETS` (`utf-8`, `windows-1252`, `iso-8859-1`, ...) and the MSH-18 names
 * (`8859/1`, `cp1252`, ...), in any case; undefined for anything else.
 */
export function charsetForConfig(name: string): string | undefined {
  const label = name.trim().toLowerCase();
  return SUPPORTED_CHARSETS.includes(label) ? label : charsetForMsh18(name);
}

export function isSingleByteCharset(charset: string): boolean {
  return SINGLE_BYTE_CHARSETS.has(charset);
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const decoders = new Map<string, TextDecoder>();

/** Decode UTF-8, or return undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decode bytes in a character set. `latin1Text` is the same bytes read one character per byte,
 * which is ISO-8859-1 already and the base for Windows-1252.
 */
export function decodeBytes(bytes: Uint8Array, latin1Text: string, charset: string): string {
  if (charset === 'iso-8859-1') return latin1Text;
  if (charset === 'windows-1252') return windows1252FromLatin1(latin1Text);
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    decoder = new TextDecoder(charset);
    decoders.set(charset, decoder);
  }
  return decoder.decode(bytes);
}

/**
 * Windows-1252 differs from ISO-8859-1 only in 0x80-0x9F. It is mapped here because Node 20's
 * TextDecoder('windows-1252') returns the C1 control characters for those bytes.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function windows1252FromLatin1(latin1Text: string): string {
  return latin1Text.replace(/[\x80-\x9f]/g, (character) =>
    String.fromCharCode(
      WINDOWS_1252_HIGH[character.charCodeAt(0) - 0x80] ?? character.charCodeAt(0),
    ),
  );
}
