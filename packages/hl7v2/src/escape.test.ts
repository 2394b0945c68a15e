// Real: the escape codec over inline strings with standard and custom delimiters.
// Faked: nothing.
import { STANDARD_DELIMITERS, type Hl7Delimiters } from './delimiters';
import { escapeHl7, reencodeWithStandardDelimiters, unescapeHl7 } from './escape';

const custom: Hl7Delimiters = {
  field: ':',
  component: '-',
  repetition: '+',
  escape: '?',
  subcomponent: '*',
  truncation: undefined,
};
const withTruncation: Hl7Delimiters = { ...STANDARD_DELIMITERS, truncation: '#' };
const withoutEscape: Hl7Delimiters = {
  ...STANDARD_DELIMITERS,
  escape: undefined,
  subcomponent: undefined,
};

describe('unescapeHl7', () => {
  it.each([
    { case: 'field separator', text: 'a\\F\\b', delimiters: STANDARD_DELIMITERS, expected: 'a|b' },
    {
      case: 'component separator',
      text: '10\\S\\9/L',
      delimiters: STANDARD_DELIMITERS,
      expected: '10^9/L',
    },
    {
      case: 'subcomponent separator',
      text: 'R\\T\\D',
      delimiters: STANDARD_DELIMITERS,
      expected: 'R&D',
    },
    { case: 'repetition separator', text: '\\R\\', delimiters: STANDARD_DELIMITERS, expected: '~' },
    {
      case: 'escape character',
      text: 'C:\\E\\temp',
      delimiters: STANDARD_DELIMITERS,
      expected: 'C:\\temp',
    },
    { case: 'truncation character', text: '12\\P\\', delimiters: withTruncation, expected: '12#' },
    {
      case: 'truncation without one declared',
      text: '12\\P\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '12\\P\\',
    },
    { case: 'hex CR', text: '\\X0D\\', delimiters: STANDARD_DELIMITERS, expected: '\r' },
    {
      case: 'hex UTF-8 bytes',
      text: '\\XC3A9\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '\u00e9',
    },
    {
      case: 'hex Latin-1 byte',
      text: '\\XE9\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '\u00e9',
    },
    {
      case: 'odd hex digits',
      text: '\\X0D0\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '\\X0D0\\',
    },
    { case: 'unknown letter', text: '\\a\\', delimiters: STANDARD_DELIMITERS, expected: '\\a\\' },
    {
      case: 'formatting command',
      text: 'one\\.br\\two',
      delimiters: STANDARD_DELIMITERS,
      expected: 'one\\.br\\two',
    },
    {
      case: 'unterminated escape',
      text: 'tail\\S',
      delimiters: STANDARD_DELIMITERS,
      expected: 'tail\\S',
    },
    { case: 'custom escape character', text: 'field6?R?', delimiters: custom, expected: 'field6+' },
    {
      case: 'no escape character declared',
      text: 'a\\S\\b',
      delimiters: withoutEscape,
      expected: 'a\\S\\b',
    },
  ])('$case', ({ text, delimiters, expected }) => {
    expect(unescapeHl7(text, delimiters)).toBe(expected);
  });
});

describe('escapeHl7', () => {
  it('escapes every delimiter and line break', () => {
    expect(escapeHl7('a|b^c~d\\e&f\rg', STANDARD_DELIMITERS)).toBe(
      'a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\X0D\\g',
    );
  });

  it.each([
    { case: 'standard', delimiters: STANDARD_DELIMITERS },
    { case: 'custom', delimiters: custom },
    { case: 'truncation', delimiters: withTruncation },
  ])('round-trips with $case delimiters', ({ delimiters }) => {
    const value = 'x|y^z~w\\v&u#t:s-r+q?p*o\r\n';
    expect(unescapeHl7(escapeHl7(value, delimiters), delimiters)).toBe(value);
  });
});

describe('reencodeWithStandardDelimiters', () => {
  it('maps custom separators and keeps escape sequences', () => {
    expect(reencodeWithStandardDelimiters('a-b*c+d?S?e', custom)).toBe('a^b&c~d\\S\\e');
  });

  it('escapes standard delimiters that are data in the source', () => {
    expect(reencodeWithStandardDelimiters('1^2-x&y', custom)).toBe('1\\S\\2^x\\T\\y');
  });

  it('leaves standard text unchanged', () => {
    const text = 'E^required emergency room\\T\\doctor visit^NIP005~H';
    expect(reencodeWithStandardDelimiters(text, STANDARD_DELIMITERS)).toBe(text);
  });
});
