import { STANDARD_DELIMITERS, type Hl7Delimiters } from './delimiters';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** How to return formatting sequences such as `\.br\` when reading a value. */
export interface Hl7ReadOptions {
  /**
   * `keep` (the default) returns them as received. `render` turns them into plain text:
   * `\.br\` and `\.ce\` become a line break, `\.sp n\` a line break and n blank lines,
   * `\.sk n\` n spaces, and `\H\`, `\N\`, `\.fi\`, `\.nf\`, `\.in n\`, `\.ti n\` are dropped.
   */
  formatting?: 'keep' | 'render';
}

/**
 * Decode the escape sequences of one leaf value (a subcomponent, or a component without
 * subcomponents) in one pass from left to right, so a decoded character is never decoded again:
 * \F\ \S\ \T\ \R\ \E\, \P\ (v2.7 truncation) and \Xhh...\ hexadecimal data. Anything else
 * between escape characters (\H\, \N\, \.br\, \Cxxyy\, an unknown letter) passes through
 * unchanged, because it is formatting or a character set switch, not a character, unless
 * `options.formatting` is `render`. An escape character with no closing one is kept as text.
 * Without an escape character in MSH-2 the text is returned as it is.
 */
export function unescapeHl7(
  text: string,
  delimiters: Hl7Delimiters,
  options: Hl7ReadOptions = {},
): string {
  const escape = delimiters.escape;
  if (escape === undefined || !text.includes(escape)) return text;

  const render = options.formatting === 'render';
  let decoded = '';
  for (const token of tokenizeEscapes(text, escape)) {
    if (token.kind !== 'sequence') {
      decoded += token.text;
      continue;
    }
    const body = token.text.slice(1, -1);
    decoded +=
      decodeEscapeSequence(body, delimiters) ??
      (render ? renderFormattingSequence(body) : undefined) ??
      token.text;
  }
  return decoded;
}

/** True when the leaf contains an escape character that no later escape character closes. */
export function hasUnterminatedEscape(text: string, delimiters: Hl7Delimiters): boolean {
  const escape = delimiters.escape;
  if (escape === undefined || !text.includes(escape)) return false;
  for (const token of tokenizeEscapes(text, escape)) {
    if (token.kind === 'unterminated') return true;
  }
  return false;
}

interface EscapeToken {
  /** `sequence` includes both escape characters; `unterminated` starts at a lone escape character. */
  kind: 'text' | 'sequence' | 'unterminated';
  text: string;
}

/** Split a leaf into plain text and escape sequences, left to right. */
function* tokenizeEscapes(text: string, escape: string): Generator<EscapeToken> {
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf(escape, position);
    if (start < 0) {
      yield { kind: 'text', text: text.slice(position) };
      return;
    }
    if (start > position) yield { kind: 'text', text: text.slice(position, start) };
    const end = text.indexOf(escape, start + 1);
    if (end < 0) {
      yield { kind: 'unterminated', text: text.slice(start) };
      return;
    }
    yield { kind: 'sequence', text: text.slice(start, end + 1) };
    position = end + 1;
  }
}

/**
 * Render a formatted-text command (HL7 FT) as plain text; undefined for anything that is not one.
 * `.sp n` ends the line and skips n lines (one when n is absent), as the standard defines it.
 */
function renderFormattingSequence(body: string): string | undefined {
  if (body === 'H' || body === 'N') return '';
  if (body === '.br' || body === '.ce') return '\n';
  if (body === '.fi' || body === '.nf') return '';
  if (/^\.(?:in|ti)\s*[+-]?\d+$/.test(body)) return '';

  const skip = /^\.(sp|sk)\s*(\d*)$/.exec(body);
  if (!skip) return undefined;
  const count = skip[2] === '' ? 1 : Number(skip[2]);
  return skip[1] === 'sp' ? '\n'.repeat(count + 1) : ' '.repeat(count);
}

function decodeEscapeSequence(body: string, delimiters: Hl7Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return delimiters.field;
    case 'S':
      return delimiters.component;
    case 'T':
      return delimiters.subcomponent;
    case 'R':
      return delimiters.repetition;
    case 'E':
      return delimiters.escape;
    case 'P':
      return delimiters.truncation;
  }
  if (/^X(?:[0-9A-Fa-f]{2})+$/.test(body)) return decodeHexData(body.slice(1));
  return undefined;
}

/**
 * Turn \Xhh..\ data into text. Bytes below 0x80 are ASCII; a longer run is read as UTF-8 when it
 * is valid UTF-8 and as ISO-8859-1 otherwise, because the escape does not name its character set.
 */
function decodeHexData(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  if (bytes.every((byte) => byte < 0x80)) return String.fromCharCode(...bytes);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/**
 * Encode a value for one leaf: each delimiter and the escape character become their escape
 * sequence, CR and LF become \X0D\ and \X0A\. Without an escape character nothing can be
 * escaped, so the value is returned as it is.
 */
export function escapeHl7(value: string, delimiters: Hl7Delimiters): string {
  const escape = delimiters.escape;
  if (escape === undefined) return value;

  const sequences = new Map<string, string>([
    [escape, 'E'],
    [delimiters.field, 'F'],
    [delimiters.component, 'S'],
    [delimiters.repetition, 'R'],
    ['\r', 'X0D'],
    ['\n', 'X0A'],
  ]);
  if (delimiters.subcomponent !== undefined) sequences.set(delimiters.subcomponent, 'T');
  if (delimiters.truncation !== undefined) sequences.set(delimiters.truncation, 'P');

  let encoded = '';
  for (const character of value) {
    const sequence = sequences.get(character);
    encoded += sequence === undefined ? character : `${escape}${sequence}${escape}`;
  }
  return encoded;
}

/**
 * Rewrite encoded field text from a message's delimiters into the standard `|^~\&` ones. Escape
 * sequences name delimiters by letter, so they carry over as they are. A character that is a
 * standard delimiter but plain data in the source gets its escape sequence.
 */
export function reencodeWithStandardDelimiters(encoded: string, from: Hl7Delimiters): string {
  const to = STANDARD_DELIMITERS;
  const structural = new Map<string, string>([
    [from.component, to.component],
    [from.repetition, to.repetition],
  ]);
  if (from.subcomponent !== undefined && to.subcomponent !== undefined) {
    structural.set(from.subcomponent, to.subcomponent);
  }

  let result = '';
  let position = 0;
  while (position < encoded.length) {
    const character = encoded.charAt(position);
    if (from.escape !== undefined && character === from.escape) {
      const end = encoded.indexOf(from.escape, position + 1);
      if (end > position) {
        result += `${to.escape}${encoded.slice(position + 1, end)}${to.escape}`;
        position = end + 1;
        continue;
      }
    }
    result += structural.get(character) ?? escapeHl7(character, to);
    position += 1;
  }
  return result;
}
