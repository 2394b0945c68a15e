// S3's tagging limits as a pure function. Nothing is faked.
import { InvalidObjectTagsError } from './errors';
import { validateObjectTags } from './object-tags';

function ruleBroken(tags: Record<string, string>): string | undefined {
  try {
    validateObjectTags('raw/a.parquet', tags, 'putTags');
    return undefined;
  } catch (error) {
    if (error instanceof InvalidObjectTagsError) return error.rule;
    throw error;
  }
}

const elevenTags = Object.fromEntries(
  Array.from({ length: 11 }, (_, index) => [`tag${index}`, 'x']),
);

describe('validateObjectTags', () => {
  it.each([
    { case: 'eleven tags', tags: elevenTags, rule: '11 tags given, at most 10 allowed' },
    {
      case: 'empty key',
      tags: { '': 'x' },
      rule: 'tag key "" has 0 characters, expected 1 to 128',
    },
    {
      case: 'long key',
      tags: { ['k'.repeat(129)]: 'x' },
      rule: `tag key "${'k'.repeat(129)}" has 129 characters, expected 1 to 128`,
    },
    {
      case: 'long value',
      tags: { note: 'v'.repeat(257) },
      rule: 'the value of tag "note" is not a string of at most 256 characters',
    },
    {
      case: 'aws prefix',
      tags: { 'aws:created': 'x' },
      rule: `tag key "aws:created" starts with 'aws:', which AWS reserves`,
    },
    {
      case: 'comma in key',
      tags: { 'a,b': 'x' },
      rule: 'tag key "a,b" contains a character S3 rejects',
    },
    {
      case: 'quote in value',
      tags: { note: 'say "hi"' },
      rule: 'the value of tag "note" contains a character S3 rejects',
    },
  ])('rejects $case', ({ tags, rule }) => {
    expect(ruleBroken(tags)).toBe(rule);
  });

  it.each([
    { case: 'no tags', tags: {} },
    { case: 'ten tags', tags: Object.fromEntries(Object.entries(elevenTags).slice(0, 10)) },
    { case: 'allowed punctuation', tags: { 'carelake:zone': 'raw/hl7v2 +1=2_a.b@c-d' } },
    { case: 'non-ASCII letters', tags: { steward: 'Zoë Müller' } },
    { case: 'empty value', tags: { reviewed: '' } },
    { case: 'longest key and value', tags: { ['k'.repeat(128)]: 'v'.repeat(256) } },
  ])('accepts $case', ({ tags }) => {
    expect(ruleBroken(tags)).toBeUndefined();
  });

  it('never puts values in messages', () => {
    expect(() => validateObjectTags('raw/a.parquet', { note: 'MRN 12345 "x"' }, 'put')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('12345') }),
    );
  });
});
