import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

/**
 * A character encoding the decoder can read. The CSV structure (delimiters, quotes, line breaks)
 * is found in the bytes, and each field is decoded on its own, so that a bad byte quarantines
 * one row and not the file.
 */
export interface FieldEncoding {
  /** The name as declared, such as `utf-8` or `windows-1252`. */
  name: string;
  isUtf8: boolean;
  /** Returns the field's text, or undefined when its bytes are not valid in this encoding. */
  decodeField(bytes: Uint8Array): string | undefined;
  /** Returns the bytes of `text`, or undefined when this encoding cannot represent it. */
  encodeText(text: string): Buffer | undefined;
}

const UTF8_NAMES = new Set(['utf-8', 'utf8']);
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
const ASCII_TEXT = String.fromCharCode(...Array.from({ length: 128 }, (_, code) => code));
const REPLACEMENT_CHARACTER = '\uFFFD';

const cache = new Map<string, FieldEncoding | string>();

/**
 * Returns the encoding for a declared name, or a message saying why it cannot be used.
 *
 * Supported: UTF-8, and the single-byte encodings of iconv-lite whose bytes 0x00-0x7F are ASCII
 * (latin1, windows-1252, iso-8859-15, cp437, koi8-r, ...). Multi-byte encodings such as UTF-16,
 * Shift_JIS or GB18030 are rejected, because their trail bytes can equal a delimiter or quote,
 * so the CSV structure cannot be found in their bytes.
 */
export function resolveFieldEncoding(name: string): FieldEncoding | string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const key = name.trim().toLowerCase();
  const resolved = UTF8_NAMES.has(key) ? utf8Encoding(name) : singleByteEncoding(name, key);
  cache.set(name, resolved);
  return resolved;
}

function utf8Encoding(name: string): FieldEncoding {
  // `ignoreBOM` keeps a U+FEFF at the start of a field; the file's byte-order mark is dropped before.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return {
    name,
    isUtf8: true,
    decodeField: (bytes) => {
      try {
        return decoder.decode(bytes);
      } catch {
        return undefined;
      }
    },
    encodeText: (text) => Buffer.from(text, 'utf8'),
  };
}

function singleByteEncoding(name: string, key: string): FieldEncoding | string {
  if (!iconv.encodingExists(key)) {
    return `encoding "${name}" is not known; use utf-8, latin1, windows-1252 or another single-byte encoding`;
  }
  const table = iconv.decode(ALL_BYTES, key);
  // One UTF-16 code unit per byte, and ASCII below 0x80: the two facts that let csv-parse work on the bytes.
  if (table.length !== 256 || table.slice(0, 128) !== ASCII_TEXT) {
    return `encoding "${name}" is not supported: only utf-8 and single-byte encodings that extend ASCII are; convert the file to utf-8`;
  }
  // iconv-lite decodes a byte its table leaves undefined (0x81 in windows-1252) as U+FFFD, which
  // no byte of a single-byte encoding represents. So U+FFFD in the text marks an invalid byte.
  const hasUndefinedBytes = table.includes(REPLACEMENT_CHARACTER);
  return {
    name,
    isUtf8: false,
    decodeField: (bytes) => {
      const text = iconv.decode(toBuffer(bytes), key);
      return hasUndefinedBytes && text.includes(REPLACEMENT_CHARACTER) ? undefined : text;
    },
    encodeText: (text) => {
      const bytes = iconv.encode(text, key);
      // iconv-lite writes "?" for a character the encoding lacks, so check the round trip.
      return iconv.decode(bytes, key) === text ? bytes : undefined;
    },
  };
}

/** Returns a Buffer view of the same memory, without a copy. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
