import { isAscii } from 'node:buffer';
import { decodeBytes, decodeUtf8, windows1252FromLatin1 } from './charset';
import type { Hl7InputRange } from './issues';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** The UTF-8 byte-order mark read one character per byte. */
const UTF8_BOM_LATIN1 = '\xef\xbb\xbf';
const BOM_CHARACTER = '\ufeff';

/**
 * The parser's input with any leading byte-order mark removed. Bytes are read one character per
 * byte (ISO-8859-1) to find segments and messages. That is safe because in every supported
 * charset CR and LF are single bytes that never occur inside a multi-byte character. Each message
 * is then decoded in its own charset.
 */
export class Hl7Input {
  /** The text to scan: the string itself, or the bytes one character per byte. */
  readonly view: string;
  readonly bytes: Uint8Array | undefined;
  /** The byte-order mark as it appears in `view`, to skip one at the start of a later line. */
  readonly byteOrderMark: string;
  /** Offset of `view` in the caller's whole input (a removed byte-order mark, or earlier stream pieces). */
  private readonly offset: number;
  private allAscii: boolean | undefined;

  private constructor(view: string, bytes: Uint8Array | undefined, offset: number) {
    this.view = view;
    this.bytes = bytes;
    this.offset = offset;
    this.byteOrderMark = bytes === undefined ? BOM_CHARACTER : UTF8_BOM_LATIN1;
  }

  static from(input: Uint8Array | string): Hl7Input {
    if (typeof input === 'string') {
      if (!input.startsWith(BOM_CHARACTER)) return new Hl7Input(input, undefined, 0);
      return new Hl7Input(input.slice(1), undefined, 1);
    }
    const offset = UTF8_BOM.every((byte, index) => input[index] === byte) ? UTF8_BOM.length : 0;
    return Hl7Input.fromPiece(offset === 0 ? input : input.subarray(offset), offset);
  }

  /** Wrap one piece of a byte stream that starts `byteOffset` bytes into the stream. */
  static fromPiece(bytes: Uint8Array, byteOffset: number): Hl7Input {
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Hl7Input(buffer.toString('latin1'), bytes, byteOffset);
  }

  /** Map a span of `view` to its range in the caller's input. */
  range(start: number, end: number): Hl7InputRange {
    return { start: start + this.offset, end: end + this.offset };
  }

  /** True when the input is bytes and those of a span are all ASCII. */
  isAscii(start: number, end: number): boolean {
    if (this.bytes === undefined) return false;
    // One check of the whole input covers every span of it when it passes.
    this.allAscii ??= isAscii(this.bytes);
    return this.allAscii || isAscii(this.bytes.subarray(start, end));
  }

  /** Decode a span of `view` in a character set; a string input is returned as it is. */
  decode(start: number, end: number, charset: string): string {
    const text = this.view.slice(start, end);
    if (this.bytes === undefined) return text;
    return decodeBytes(this.bytes.subarray(start, end), text, charset);
  }

  /** Decode a span as UTF-8, or return undefined when it is not valid UTF-8; a string input is returned as it is. */
  decodeUtf8(start: number, end: number): string | undefined {
    if (this.bytes === undefined) return this.view.slice(start, end);
    return decodeUtf8(this.bytes.subarray(start, end));
  }

  /** Decode a span as UTF-8, falling back to Windows-1252, for text outside any message. */
  decodeBestEffort(start: number, end: number): string {
    return this.decodeUtf8(start, end) ?? windows1252FromLatin1(this.view.slice(start, end));
  }
}
