import { decodeBytes, decodeUtf8, windows1252FromLatin1 } from './charset';
import type { Hl7InputRange } from './issues';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const BOM_CHARACTER = '\ufeff';

/**
 * The parser's input with any byte-order mark removed. Bytes are read one character per byte
 * (ISO-8859-1) to find segments and messages. That is safe because in every supported charset CR
 * and LF are single bytes that never occur inside a multi-byte character. Each message is then
 * decoded in its own charset.
 */
export class Hl7Input {
  /** The text to scan: the string itself, or the bytes one character per byte. */
  readonly view: string;
  readonly bytes: Uint8Array | undefined;
  /** Length of the byte-order mark removed, so ranges point into the caller's input. */
  private readonly offset: number;

  private constructor(view: string, bytes: Uint8Array | undefined, offset: number) {
    this.view = view;
    this.bytes = bytes;
    this.offset = offset;
  }

  static from(input: Uint8Array | string): Hl7Input {
    if (typeof input === 'string') {
      const offset = input.startsWith(BOM_CHARACTER) ? 1 : 0;
      return new Hl7Input(input.slice(offset), undefined, offset);
    }
    const offset = UTF8_BOM.every((byte, index) => input[index] === byte) ? UTF8_BOM.length : 0;
    const bytes = input.subarray(offset);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    return new Hl7Input(view, bytes, offset);
  }

  /** Map a span of `view` to its range in the caller's input. */
  range(start: number, end: number): Hl7InputRange {
    return { start: start + this.offset, end: end + this.offset };
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
