// Real: the escape codec over inline strings with standard and custom delimiters.
// Faked: nothing.
import { STANDARD_DELIMITERS, type Hl7Delimiters } from './delimiters';
import {
  escapeHl7,
  hasUnterminatedEscape,
  reencodeWithStandardDelimiters,
  unescapeHl7,
} from './escape';

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
    {
      case: 'two hex escapes back to back',
      text: '\\X41\\\\X42\\',
      delimiters: STANDARD_DELIMITERS,
      expected: 'AB',
    },
    {
      case: 'escaped escape before hex text decodes once',
      text: '\\E\\X0D\\E\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '\\X0D\\',
    },
    {
      case: 'escaped escape before a separator letter decodes once',
      text: '\\E\\F\\E\\',
      delimiters: STANDARD_DELIMITERS,
      expected: '\\F\\',
    },
    {
      case: 'escape at the end',
      text: 'dir\\E\\',
      delimiters: STANDARD_DELIMITERS,
      expected: 'dir\\',
    },
    {
      case: 'lone escape kept',
      text: 'C:\\temp',
      delimiters: STANDARD_DELIMITERS,
      expected: 'C:\\temp',
    },
    {
      case: 'empty sequence kept',
      text: 'a\\\\b',
      delimiters: STANDARD_DELIMITERS,
      expected: 'a\\\\b',
    },
    {
      case: 'hex run of UTF-8 bytes and ASCII',
      text: '\\X48C3A9\\',
      delimiters: STANDARD_DELIMITERS,
      expected: 'H\u00e9',
    },
  ])('$case', ({ text, delimiters, expected }) => {
    expect(unescapeHl7(text, delimiters)).toBe(expected);
  });
});

describe('unescapeHl7 formatting', () => {
  it.each([
    { case: 'line break', text: 'one\\.br\\two', expected: 'one\ntwo' },
    { case: 'skip one line', text: 'one\\.sp\\two', expected: 'one\n\ntwo' },
    { case: 'skip three lines', text: 'one\\.sp 3\\two', expected: 'one\n\n\n\ntwo' },
    { case: 'skip spaces', text: 'a\\.sk 2\\b', expected: 'a  b' },
    { case: 'centre line', text: 'a\\.ce\\b', expected: 'a\nb' },
    { case: 'highlight dropped', text: '\\H\\HIGH\\N\\ normal', expected: 'HIGH normal' },
    { case: 'indent dropped', text: '\\.in +4\\a\\.ti -2\\b', expected: 'ab' },
    { case: 'fill modes dropped', text: '\\.nf\\a\\.fi\\', expected: 'a' },
    { case: 'separators still decoded', text: 'x\\S\\y\\.br\\', expected: 'x^y\n' },
    { case: 'escaped formatting stays text', text: '\\E\\.br\\E\\', expected: '\\.br\\' },
    { case: 'charset switch kept', text: '\\C2842\\x', expected: '\\C2842\\x' },
  ])('renders $case', ({ text, expected }) => {
    expect(unescapeHl7(text, STANDARD_DELIMITERS, { formatting: 'render' })).toBe(expected);
  });

  it('keeps formatting by default', () => {
    expect(unescapeHl7('one\\.br\\two\\H\\', STANDARD_DELIMITERS)).toBe('one\\.br\\two\\H\\');
    expect(unescapeHl7('one\\.br\\two', STANDARD_DELIMITERS, { formatting: 'keep' })).toBe(
      'one\\.br\\two',
    );
  });
});

describe('hasUnterminatedEscape', () => {
  it.each([
    { case: 'lone escape', text: 'C:\\temp', delimiters: STANDARD_DELIMITERS, expected: true },
    {
      case: 'sequence then lone escape',
      text: '\\S\\a\\',
      delimiters: STANDARD_DELIMITERS,
      expected: true,
    },
    {
      case: 'closed sequences',
      text: '\\S\\a\\T\\',
      delimiters: STANDARD_DELIMITERS,
      expected: false,
    },
    {
      case: 'no escape character',
      text: 'plain',
      delimiters: STANDARD_DELIMITERS,
      expected: false,
    },
    { case: 'custom escape', text: 'a?b', delimiters: custom, expected: true },
    { case: 'escape absent from MSH-2', text: 'a\\b', delimiters: withoutEscape, expected: false },
  ])('$case', ({ text, delimiters, expected }) => {
    expect(hasUnterminatedEscape(text, delimiters)).toBe(expected);
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
