// Real: the YAML loader, zod schema and file checks, the repository datasets. Faked: nothing.
import { ConfigError, type ConfigIssue } from '@carelake/core';
import { compileInline, mappingText } from '../__fixtures__/inline-mapping';
import { loadRepositoryDatasets } from '../__fixtures__/repository-files';
import { compileHl7Mappings } from './compile-mappings';

function issuesOf(compile: () => unknown): ConfigIssue[] {
  try {
    compile();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('the mapping compiled without errors');
}

/** Issues of a mapping file with the given header lines and columns. */
function issues(header: readonly string[], columns: Record<string, string>): ConfigIssue[] {
  return issuesOf(() => compileInline(mappingText(header, columns)));
}

describe('mapping file errors', () => {
  it('name an unknown path syntax with its key path and line', () => {
    expect(issues(['each: PID'], { ok: '{ path: PID-3 }', bad: '{ path: PID.3 }' })).toEqual([
      {
        keyPath: 'columns.bad.path',
        message: expect.stringMatching(
          /^"PID\.3" is not an HL7 v2 path; write SEG-field.* \(line 5\)$/,
        ),
      },
    ]);
  });

  it.each<{ case: string; columns: Record<string, string>; keyPath: string; message: RegExp }>([
    {
      case: 'a path in a list',
      columns: { x: '{ paths: [PID-3, "PID-3[0]"] }' },
      keyPath: 'columns.x.paths[1]',
      message: /"PID-3\[0\]" is not an HL7 v2 path/,
    },
    {
      case: 'a template placeholder',
      columns: { x: '{ template: "a{PID_3}" }' },
      keyPath: 'columns.x.template',
      message: /"PID_3" is not an HL7 v2 path/,
    },
    {
      case: 'a template in a list',
      columns: { x: '{ template: ["{PID-3}", "{PID-3"] }' },
      keyPath: 'columns.x.template[1]',
      message: /"\{" at character 1 is not closed/,
    },
    {
      case: 'an unknown variable',
      columns: { x: '{ path: $patient }' },
      keyPath: 'columns.x.path',
      message: /"\$patient" is not a known variable; use one of \$message_id, /,
    },
    {
      case: 'a segment outside the rule',
      columns: { x: '{ path: PV1-19 }' },
      keyPath: 'columns.x.path',
      message:
        /PV1-19: PV1 is not the row segment \(PID\), .* add PV1 to context when it comes before the PID/,
    },
    {
      case: 'an occurrence in a segment rule',
      columns: { x: '{ path: "PID[2]-3" }' },
      keyPath: 'columns.x.path',
      message: /PID\[2\] names an occurrence, which only rules with each: message may read/,
    },
    {
      case: 'a condition path',
      columns: { x: '{ when: { path: PV1-2, equals: I }, value: a }' },
      keyPath: 'columns.x.when.path',
      message: /PV1 is not the row segment/,
    },
    {
      case: 'two sources',
      columns: { x: '{ path: PID-3, value: a }' },
      keyPath: 'columns.x',
      message: /has path and value; give exactly one source/,
    },
    {
      case: 'no source',
      columns: { x: '{ type: date }' },
      keyPath: 'columns.x',
      message: /needs one of path, paths, template, value, builtin, column/,
    },
    {
      case: 'an unknown key',
      columns: { x: '{ pth: PID-3 }' },
      keyPath: 'columns.x.pth',
      message: /unknown key "pth"; did you mean "path"\?/,
    },
    {
      case: 'an unknown type',
      columns: { x: '{ path: PID-3, type: text }' },
      keyPath: 'columns.x.type',
      message: /string/,
    },
    {
      case: 'an unknown builtin',
      columns: { x: '{ builtin: record_hash.part }' },
      keyPath: 'columns.x.builtin',
      message:
        /"record_hash\.part" is not a builtin; use one of record_hash, observation_value\.text/,
    },
    {
      case: 'a builtin for another segment',
      columns: { x: '{ builtin: observation_value.text }' },
      keyPath: 'columns.x.builtin',
      message: /observation_value reads the OBX of each row; it needs each: OBX/,
    },
    {
      case: 'a builtin of another type',
      columns: { x: '{ builtin: record_hash, type: double }' },
      keyPath: 'columns.x.builtin',
      message: /record_hash produces a string, but the column is a double; set type: string/,
    },
    {
      case: 'a constant of another type',
      columns: { x: '{ value: yes, type: boolean }' },
      keyPath: 'columns.x.value',
      message: /the constant "yes" does not fit the column type boolean/,
    },
    {
      case: 'a copy of a missing column',
      columns: { x: '{ column: y }' },
      keyPath: 'columns.x.column',
      message: /no column y is mapped in this file/,
    },
    {
      case: 'a copy of a copy',
      columns: { x: '{ column: y }', y: '{ column: z }', z: '{ value: a }' },
      keyPath: 'columns.x.column',
      message: /y itself reads another column/,
    },
    {
      case: 'a copy of another type',
      columns: { x: '{ column: y, type: date }', y: '{ path: PID-3 }' },
      keyPath: 'columns.x.column',
      message: /y is a string, but this column is a date/,
    },
    {
      case: 'year_month of a string column',
      columns: { x: '{ column: y, format: year_month }', y: '{ path: PID-3 }' },
      keyPath: 'columns.x.column',
      message: /format year_month needs a date or timestamp, but y is a string/,
    },
    {
      case: 'else without when',
      columns: { x: '{ value: a, else: b }' },
      keyPath: 'columns.x.else',
      message: /else needs when/,
    },
    {
      case: 'a lineage column',
      columns: { source_file: '{ value: a }' },
      keyPath: 'columns.source_file',
      message: /source_file is a lineage column that every row gets automatically; remove it/,
    },
  ])('name $case', ({ columns, keyPath, message }) => {
    const found = issues(['each: PID'], columns);

    expect(found.map((issue) => issue.keyPath)).toContain(keyPath);
    expect(found.find((issue) => issue.keyPath === keyPath)?.message).toMatch(message);
  });

  it.each([
    { case: 'each', header: ['each: pid'], keyPath: 'each' },
    {
      case: 'a message type',
      header: ['messages: [ADT-A01]', 'each: PID'],
      keyPath: 'messages[0]',
    },
    {
      case: 'the row segment in context',
      header: ['each: PID', 'context: [PID]'],
      keyPath: 'context[0]',
    },
    {
      case: 'a segment listed twice',
      header: ['each: PID', 'context: [PV1]', 'following: [PV1]'],
      keyPath: 'following[0]',
    },
    {
      case: 'context with each: message',
      header: ['each: message', 'context: [PID]'],
      keyPath: 'each',
    },
  ])('name the file key of $case', ({ header, keyPath }) => {
    expect(issues(header, { x: '{ value: a }' }).map((issue) => issue.keyPath)).toContain(keyPath);
  });

  it('report every problem of a file at once', () => {
    const found = issues(['each: PID'], {
      a: '{ path: PID.3 }',
      b: '{ path: PV1-2 }',
      c: '{ builtin: nothing }',
    });

    expect(found.map((issue) => issue.keyPath)).toEqual([
      'columns.a.path',
      'columns.b.path',
      'columns.c.builtin',
    ]);
  });

  it('report a YAML syntax error with its line', () => {
    const found = issuesOf(() =>
      compileInline('table: clinical.test\neach: PID\ncolumns:\n  x: { path: PID-3\n'),
    );

    expect(found[0]?.message).toMatch(/^YAML syntax error at line \d+/);
  });

  it('prefix the key paths of several invalid files with their file names', () => {
    const found = issuesOf(() =>
      compileHl7Mappings([
        { file: 'a.mapping.yaml', text: mappingText(['each: PID'], { x: '{ path: PID.3 }' }) },
        { file: 'b.mapping.yaml', text: mappingText(['each: PID'], { x: '{ path: PID-3 }' }) },
        { file: 'c.mapping.yaml', text: mappingText(['each: OBX'], { x: '{ builtin: nothing }' }) },
      ]),
    );

    expect(found.map((issue) => issue.keyPath)).toEqual([
      'a.mapping.yaml: columns.x.path',
      'c.mapping.yaml: columns.x.builtin',
    ]);
  });
});

describe('mapping file errors against datasets', () => {
  const datasets = loadRepositoryDatasets();
  const patients = (columns: Record<string, string>): ConfigIssue[] =>
    issuesOf(() =>
      compileInline(
        mappingText(['each: PID'], columns).replace('clinical.test', 'clinical.patients'),
        { datasets },
      ),
    );
  const required = {
    patient_key: '{ path: PID-3.1 }',
    is_deleted: '{ value: false }',
    record_hash: '{ builtin: record_hash }',
  };

  it('accept a file that maps the not-null columns', () => {
    expect(() =>
      compileInline(
        mappingText(['each: PID'], required).replace('clinical.test', 'clinical.patients'),
        { datasets },
      ),
    ).not.toThrow();
  });

  it.each([
    {
      case: 'a column the dataset lacks',
      columns: { ...required, nickname: '{ path: PID-5.3 }' },
      keyPath: 'columns.nickname',
      message: /clinical\.patients declares no column nickname/,
    },
    {
      case: 'a column of another type',
      columns: { ...required, birth_date: '{ path: PID-7 }' },
      keyPath: 'columns.birth_date',
      message: /maps a string, but clinical\.patients declares birth_date as date/,
    },
    {
      case: 'a not-null column left out',
      columns: { patient_key: '{ path: PID-3.1 }', is_deleted: '{ value: false }' },
      keyPath: 'columns',
      message: /clinical\.patients declares record_hash not null, but this file does not map it/,
    },
  ])('name $case', ({ columns, keyPath, message }) => {
    const found = patients(columns);

    expect(found.find((issue) => issue.keyPath === keyPath)?.message).toMatch(message);
  });

  it('name a table without a dataset', () => {
    const found = issuesOf(() =>
      compileInline(mappingText(['each: PID'], { x: '{ value: a }' }), { datasets }),
    );

    expect(found).toEqual([
      {
        keyPath: 'table',
        message: expect.stringMatching(
          /^no dataset file describes clinical\.test; add clinical\.test\.dataset\.yaml/,
        ),
      },
    ]);
  });

  it('skip the dataset checks of tables left out', () => {
    const set = compileInline(mappingText(['each: PID'], { x: '{ value: a }' }), {
      datasets,
      tables: ['clinical.patients'],
    });

    expect(set.rules).toEqual([]);
  });
});
