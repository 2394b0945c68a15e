// Real: the regex translation, run on the R4 primitive regexes as written in the definitions; nothing is faked.
import { compileFhirRegex } from './fhir-regex';

const STRING_REGEX = '[ \\r\\n\\t\\S]+';
const CODE_REGEX = '[^\\s]+(\\s[^\\s]+)*';
const URI_REGEX = '\\S*';
const ID_REGEX = '[A-Za-z0-9\\-\\.]{1,64}';

describe('compileFhirRegex', () => {
  it.each([
    {
      case: 'string with a no-break space',
      regex: STRING_REGEX,
      text: 'Anna\u00A0Maria',
      matches: true,
    },
    { case: 'string with a tab and newline', regex: STRING_REGEX, text: 'a\tb\nc', matches: true },
    { case: 'string with a form feed', regex: STRING_REGEX, text: 'a\fb', matches: false },
    { case: 'empty string', regex: STRING_REGEX, text: '', matches: false },
    { case: 'code with single spaces', regex: CODE_REGEX, text: 'not done', matches: true },
    { case: 'code with a no-break space', regex: CODE_REGEX, text: 'a\u00A0b', matches: true },
    { case: 'code with two spaces', regex: CODE_REGEX, text: 'not  done', matches: false },
    { case: 'code with a leading space', regex: CODE_REGEX, text: ' final', matches: false },
    { case: 'uri without whitespace', regex: URI_REGEX, text: 'http://loinc.org', matches: true },
    { case: 'uri with a space', regex: URI_REGEX, text: 'http://loinc .org', matches: false },
    { case: 'id of 64 characters', regex: ID_REGEX, text: 'a'.repeat(64), matches: true },
    { case: 'id of 65 characters', regex: ID_REGEX, text: 'a'.repeat(65), matches: false },
    { case: 'id with a valid prefix only', regex: ID_REGEX, text: 'abc/def', matches: false },
  ])('$case', ({ regex, text, matches }) => {
    expect(compileFhirRegex(regex).test(text)).toBe(matches);
  });

  it('rejects \\S in a negated class', () => {
    expect(() => compileFhirRegex('[^\\S]')).toThrow(SyntaxError);
  });

  it('rejects an unterminated class', () => {
    expect(() => compileFhirRegex('[abc')).toThrow(/unterminated character class/);
  });
});
