/**
 * ASCII whitespace as the Java regex dialect defines `\s`. The R4 primitive
 * regexes are written for that dialect, where `\s` matches ASCII whitespace only.
 * JavaScript's `\s` also matches U+00A0 and other Unicode spaces, so copied
 * unchanged the string regex would reject a name containing a no-break space.
 */
const JAVA_WHITESPACE = [' ', '\t', '\n', '\x0B', '\f', '\r'];

/** Escapes of a single whitespace character inside a character class, and the character each stands for. */
const WHITESPACE_ESCAPES: Record<string, string> = {
  t: '\t',
  n: '\n',
  r: '\r',
  f: '\f',
  v: '\x0B',
};

/**
 * Compiles a regex from an R4 StructureDefinition (the
 * `http://hl7.org/fhir/StructureDefinition/regex` extension) to a JavaScript
 * RegExp that must match the whole value, as FHIR regexes do. `\s` and `\S` keep
 * their Java meaning. Only the constructs the R4 primitive regexes use are
 * translated, and `\S` inside a negated class is rejected because no R4 regex
 * uses it.
 */
export function compileFhirRegex(source: string): RegExp {
  let translated = '';
  for (let index = 0; index < source.length;) {
    const char = source[index];
    if (char === '[') {
      const end = findClassEnd(source, index);
      translated += translateClass(source.slice(index + 1, end), source);
      index = end + 1;
    } else if (char === '\\' && source[index + 1] === 's') {
      translated += `[${escapedWhitespace(JAVA_WHITESPACE)}]`;
      index += 2;
    } else if (char === '\\' && source[index + 1] === 'S') {
      translated += `[^${escapedWhitespace(JAVA_WHITESPACE)}]`;
      index += 2;
    } else if (char === '\\') {
      translated += source.slice(index, index + 2);
      index += 2;
    } else {
      translated += char;
      index += 1;
    }
  }
  return new RegExp(`^(?:${translated})$`);
}

function findClassEnd(source: string, start: number): number {
  for (let index = start + 1; index < source.length; index++) {
    if (source[index] === '\\') index++;
    else if (source[index] === ']') return index;
  }
  throw new SyntaxError(`unterminated character class in the FHIR regex ${source}`);
}

/** Translates the body of a character class (between `[` and `]`) to a JavaScript class. */
function translateClass(body: string, source: string): string {
  const negated = body.startsWith('^');
  let members = '';
  let hasNonWhitespace = false;
  const listedWhitespace = new Set<string>();

  for (let index = negated ? 1 : 0; index < body.length;) {
    const char = body[index] ?? '';
    if (char !== '\\') {
      if (JAVA_WHITESPACE.includes(char)) listedWhitespace.add(char);
      members += char;
      index += 1;
      continue;
    }

    const escaped = body[index + 1] ?? '';
    if (escaped === 's') {
      JAVA_WHITESPACE.forEach((space) => listedWhitespace.add(space));
      members += escapedWhitespace(JAVA_WHITESPACE);
    } else if (escaped === 'S') {
      hasNonWhitespace = true;
    } else {
      const space = WHITESPACE_ESCAPES[escaped];
      if (space !== undefined) listedWhitespace.add(space);
      members += `\\${escaped}`;
    }
    index += 2;
  }

  if (!hasNonWhitespace) return `[${negated ? '^' : ''}${members}]`;
  if (negated) throw new SyntaxError(`\\S inside a negated class is not supported: ${source}`);

  // A class with \S matches every character except the whitespace it does not
  // list, because any other member it lists is already a non-whitespace character.
  const excluded = JAVA_WHITESPACE.filter((space) => !listedWhitespace.has(space));
  return excluded.length === 0 ? '[\\s\\S]' : `[^${escapedWhitespace(excluded)}]`;
}

function escapedWhitespace(characters: readonly string[]): string {
  return characters
    .map((char) => (char === ' ' ? ' ' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('');
}
