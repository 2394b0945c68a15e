// Real: name rules, NFC and case folding on literal names. Faked: nothing; no server is involved.
import {
  escapeRemoteName,
  findUnsafeNameRule,
  foldLocalName,
  rejectCollisions,
  rejectRemoteName,
  toSafeName,
} from './remote-names';

describe('findUnsafeNameRule', () => {
  it.each([
    { case: 'plain name', path: 'adt_20260101.hl7', expected: undefined },
    { case: 'nested name', path: 'east/2026/adt.hl7', expected: undefined },
    { case: 'dots inside a name', path: 'adt..2026.hl7', expected: undefined },
    { case: 'absolute path', path: '/etc/passwd', expected: 'absolute-path' },
    { case: 'parent segment', path: 'east/../../etc/passwd', expected: 'dot-segment' },
    { case: 'lone parent', path: '..', expected: 'dot-segment' },
    { case: 'current segment', path: 'east/./adt.hl7', expected: 'dot-segment' },
    { case: 'empty segment', path: 'east//adt.hl7', expected: 'empty-segment' },
    { case: 'trailing slash', path: 'east/', expected: 'empty-segment' },
    { case: 'backslash traversal', path: '..\\..\\windows\\win.ini', expected: 'backslash' },
    { case: 'newline', path: 'adt\n.hl7', expected: 'control-character' },
    { case: 'nul', path: 'adt\u0000.hl7', expected: 'control-character' },
    { case: 'delete', path: 'adt\u007f.hl7', expected: 'control-character' },
    { case: 'c1 control', path: 'adt\u0085.hl7', expected: 'control-character' },
    { case: 'right-to-left override', path: 'adt\u202elh7.exe', expected: 'control-character' },
    { case: 'replacement character', path: 'caf\ufffd.hl7', expected: 'invalid-utf8' },
  ])('$case gives $expected', ({ path, expected }) => {
    expect(findUnsafeNameRule(path)).toBe(expected);
  });
});

describe('toSafeName', () => {
  it('composes decomposed characters', () => {
    expect(toSafeName('Cafe\u0301.hl7')).toBe('Caf\u00e9.hl7');
  });
});

describe('foldLocalName', () => {
  it.each([
    { case: 'case', a: 'ADT.hl7', b: 'adt.hl7' },
    { case: 'normalization', a: 'cafe\u0301.hl7', b: 'caf\u00e9.hl7' },
    { case: 'sharp s', a: 'stra\u00dfe.csv', b: 'STRASSE.csv' },
  ])('folds $case together', ({ a, b }) => {
    expect(foldLocalName(a)).toBe(foldLocalName(b));
  });
});

describe('escapeRemoteName', () => {
  it('escapes controls and backslashes only', () => {
    expect(escapeRemoteName('a\nb\\c\u202e\u00e9.hl7')).toBe('a\\u000ab\\u005cc\\u202e\u00e9.hl7');
  });
});

describe('rejectRemoteName', () => {
  it('hashes the raw name', () => {
    const rejected = rejectRemoteName('a\nb', 'control-character');

    expect(rejected.escapedPath).toBe('a\\u000ab');
    expect(rejected.pathSha256).toBe(
      '7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78',
    );
    expect(rejected.reason).toContain('control');
  });
});

describe('rejectCollisions', () => {
  const entry = (relativePath: string) => ({ relativePath, safeName: toSafeName(relativePath) });

  it('rejects every member of a colliding group', () => {
    const { kept, rejected } = rejectCollisions([
      entry('ADT.hl7'),
      entry('adt.hl7'),
      entry('oru.hl7'),
    ]);

    expect(kept.map((item) => item.relativePath)).toEqual(['oru.hl7']);
    expect(rejected.map((item) => [item.escapedPath, item.rule])).toEqual([
      ['ADT.hl7', 'collision'],
      ['adt.hl7', 'collision'],
    ]);
  });

  it('keeps names that differ after folding', () => {
    const { kept, rejected } = rejectCollisions([entry('a/adt.hl7'), entry('b/adt.hl7')]);

    expect(kept).toHaveLength(2);
    expect(rejected).toEqual([]);
  });
});
