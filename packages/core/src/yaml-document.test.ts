// parseYamlDocument over YAML text held in the test, with a small Zod schema; nothing is faked.
import { z } from 'zod';
import { ConfigError } from './errors';
import { knownKeysAt, suggestKey } from './schema-keys';
import { parseYamlDocument } from './yaml-document';

const schema = z
  .object({
    name: z.string(),
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('sftp'), host: z.string(), patterns: z.array(z.string()).optional() }).strict(),
      z.object({ type: z.literal('directory'), path: z.string() }).strict(),
    ]),
    outputs: z.array(z.object({ table: z.string() }).strict()).default([]),
  })
  .strict();

function issuesOf(text: string): string[] {
  try {
    parseYamlDocument(text, 'p.pipeline.yaml', schema);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.keyPath}: ${issue.message}`);
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('parseYamlDocument unknown keys', () => {
  it('names the line and likely key', () => {
    const text = ['name: eligibility', 'source:', '  type: sftp', '  host: localhost', '  pattern: ["*.csv"]'].join('\n');

    expect(issuesOf(text)).toEqual(['source.pattern: unknown key "pattern"; did you mean "patterns"? (line 5)']);
  });

  it('suggests nothing for an unlike key', () => {
    const text = ['name: eligibility', 'source: { type: directory, path: in }', 'colour: blue'].join('\n');

    expect(issuesOf(text)).toEqual(['colour: unknown key "colour" (line 3)']);
  });

  it('names the key line of a block value', () => {
    const text = ['name: eligibility', 'source:', '  type: directory', '  path: in', 'outputz:', '  - { table: raw.x }'].join('\n');

    expect(issuesOf(text)).toEqual(['outputz: unknown key "outputz"; did you mean "outputs"? (line 5)']);
  });

  it('reaches into arrays', () => {
    const text = ['name: eligibility', 'source: { type: directory, path: in }', 'outputs:', '  - { tabel: raw.x }'].join('\n');

    expect(issuesOf(text)).toEqual([
      'outputs[0].table: Invalid input: expected string, received undefined (line 4)',
      'outputs[0].tabel: unknown key "tabel"; did you mean "table"? (line 4)',
    ]);
  });
});

describe('knownKeysAt', () => {
  it.each([
    { case: 'the top level', path: [], keys: ['name', 'outputs', 'source'] },
    { case: 'every option of a union', path: ['source'], keys: ['host', 'path', 'patterns', 'type'] },
    { case: 'an array element', path: ['outputs', 0], keys: ['table'] },
    { case: 'a value that is not an object', path: ['name'], keys: [] },
  ])('lists the keys of $case', ({ path, keys }) => {
    expect(knownKeysAt(schema, path)).toEqual(keys);
  });

  it('suggests only close keys', () => {
    expect(suggestKey('hots', ['host', 'path'])).toBe('host');
    expect(suggestKey('xyz', ['host', 'path'])).toBeUndefined();
  });
});
