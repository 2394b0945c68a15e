// Key and prefix rules as pure functions. Nothing is faked.
import { InvalidObjectKeyError } from './errors';
import { validateKeyPrefix, validateObjectKey } from './object-key';

function ruleBroken(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof InvalidObjectKeyError) return error.rule;
    throw error;
  }
}

describe('validateObjectKey', () => {
  it.each([
    { case: 'empty', key: '', rule: 'the key is empty' },
    { case: 'absolute', key: '/etc/passwd', rule: "the key is absolute (starts with '/')" },
    {
      case: 'parent part',
      key: 'raw/../../etc/passwd',
      rule: "part 2 is '..', which a file system resolves as a path",
    },
    {
      case: 'bare parent',
      key: '..',
      rule: "part 1 is '..', which a file system resolves as a path",
    },
    {
      case: 'current part',
      key: 'raw/./a',
      rule: "part 2 is '.', which a file system resolves as a path",
    },
    {
      case: 'backslash',
      key: 'raw\\a.hl7',
      rule: "the key contains a backslash; separate parts with '/'",
    },
    { case: 'NUL', key: 'raw/a\0.hl7', rule: 'the key contains a NUL character' },
    {
      case: 'doubled slash',
      key: 'raw//a.hl7',
      rule: "part 2 is empty (a leading, doubled or trailing '/')",
    },
    {
      case: 'trailing slash',
      key: 'raw/',
      rule: "part 2 is empty (a leading, doubled or trailing '/')",
    },
    {
      case: 'temp file name',
      key: 'raw/.tmp-a',
      rule: "part 2 starts with '.tmp-', which marks the local store's unfinished writes",
    },
    {
      case: 'tags folder',
      key: '.carelake-tags/raw/a',
      rule: "'.carelake-tags' is reserved for the local store's tags",
    },
    {
      case: 'long part',
      key: `raw/${'x'.repeat(256)}`,
      rule: 'part 2 is longer than 255 bytes in UTF-8',
    },
    {
      case: 'long key',
      key: Array.from({ length: 9 }, () => 'y'.repeat(120)).join('/'),
      rule: 'the key is longer than 1024 bytes in UTF-8',
    },
  ])('rejects $case', ({ key, rule }) => {
    expect(ruleBroken(() => validateObjectKey(key, 'put'))).toBe(rule);
  });

  it.each([
    { case: 'landing file', key: 'landing/sftp/2024-05-01/ADT_A01.hl7' },
    {
      case: 'Hive partition',
      key: 'curated/clinical/encounters/admit_date=2024-05-01/part-0.parquet',
    },
    { case: 'dots inside a part', key: 'raw/a..b/file..parquet' },
    { case: 'hidden part', key: 'raw/.hidden' },
    { case: 'tags folder below the root', key: 'raw/.carelake-tags' },
    { case: 'non-ASCII', key: 'raw/Zoë/é.ndjson' },
    { case: 'longest part', key: `raw/${'x'.repeat(255)}` },
  ])('accepts $case', ({ key }) => {
    expect(ruleBroken(() => validateObjectKey(key, 'put'))).toBeUndefined();
  });

  it('names key and operation', () => {
    expect(() => validateObjectKey('raw//a', 'copy')).toThrow(
      expect.objectContaining({
        key: 'raw//a',
        operation: 'copy',
        message: expect.stringContaining('"raw//a"'),
      }),
    );
  });

  it('escapes NUL in message', () => {
    expect(() => validateObjectKey('a\0b', 'get')).toThrow('invalid object key "a\\u0000b"');
  });
});

describe('validateKeyPrefix', () => {
  it.each([
    { case: 'whole store', prefix: '' },
    { case: 'folder', prefix: 'raw/hl7v2/' },
    { case: 'partial part', prefix: 'raw/hl7' },
    { case: 'partial dot part', prefix: 'raw/.' },
  ])('accepts $case', ({ prefix }) => {
    expect(ruleBroken(() => validateKeyPrefix(prefix, 'list'))).toBeUndefined();
  });

  it.each([
    { case: 'absolute', prefix: '/raw/', rule: "the key is absolute (starts with '/')" },
    {
      case: 'parent part',
      prefix: 'raw/../',
      rule: "part 2 is '..', which a file system resolves as a path",
    },
    {
      case: 'doubled slash',
      prefix: 'raw//',
      rule: "part 2 is empty (a leading, doubled or trailing '/')",
    },
    {
      case: 'tags folder',
      prefix: '.carelake-tags/',
      rule: "'.carelake-tags' is reserved for the local store's tags",
    },
  ])('rejects $case', ({ prefix, rule }) => {
    expect(ruleBroken(() => validateKeyPrefix(prefix, 'list'))).toBe(rule);
  });
});
