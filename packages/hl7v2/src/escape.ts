import { STANDARD_DELIMITERS, type Hl7Delimiters } from './delimiters';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode the escape sequences of one leaf value (a subcomponent, or a component without
 * subcomponents): \F\ \S\ \T\ \R\ \E\, \P\ (v2.7 truncation) and \Xhh...\ hexadecimal data.
 * Anything else between escape characters (\H\, \N\, \.br\, \Cxxyy\, an unknown letter) passes
 * through unchanged, because it is formatting or a character set switch, not a character.
 * Without an escape character in MSH-2 the text is returned as it is.
 */
export function unescapeHl7(text: string, delimiters: Hl7Delimiters): string {
  const escape = delimiters.escape;
  if (escape === undefined || !text.includes(escape)) return text;

  let decoded = '';
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf(escape, position);
    if (start < 0) {
      decoded += text.slice(position);
      break;
    }
    const end = text.indexOf(escape, start + 1);
    if (end < 0) {
      decoded += text.slice(position);
      break;
    }
    decoded += text.slice(position, start);
    decoded +=
      decodeEscapeSequence(text.slice(start + 1, end), delimiters) ?? text.slice(start, end + 1);
    position = end + 1;
  }
  return decoded;
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
