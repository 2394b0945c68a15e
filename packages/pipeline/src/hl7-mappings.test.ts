// Real: mapping files in temp folders, the repository's mapping and dataset files, the decoder. Faked: nothing.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@carelake/core';
import { ControlIdRegistry, type Hl7MappingSet } from '@carelake/hl7v2';
import { loadDatasets } from './datasets';
import { decodeHl7 } from './decode-hl7';
import { PipelineError } from './errors';
import {
  BUILT_IN_HL7_MAPPINGS_DIR,
  hl7MappingPathsOf,
  loadHl7Mappings,
  readHl7MappingSources,
} from './hl7-mappings';
import { loadPipelineFile, pipelineSchema, type LoadedPipeline } from './pipeline-file';

const DATASETS = loadDatasets(join(BUILT_IN_HL7_MAPPINGS_DIR, '..', '..', 'datasets'));
const INGESTED_AT = new Date('2026-01-15T10:00:00.000Z');

const PATIENTS_MAPPING = [
  'table: clinical.patients',
  'each: PID',
  'columns:',
  '  patient_key: { template: "x:{PID-3.1}", required: true }',
  '  is_deleted: { value: false }',
  '  record_hash: { builtin: record_hash }',
].join('\n');

const ADT = [
  'MSH|^~\\&|ADMIT|NORTH|||20240102030405||ADT^A01|CTRL-1|P|2.5',
  'PID|1||MRN-7^^^NORTH-MRN||TESTER^ALEX',
  'PV1|1|I|WARD',
  'OBX|1|ED|DOC||^application^pdf^Base64^JVBERi0=',
  'OBX|2|ED|DOC||^application^pdf^Base64^JVBERi0=',
];

function pipelineIn(folder: string, fields: Record<string, unknown> = {}): LoadedPipeline {
  const definition = pipelineSchema.parse({
    name: 'test',
    source: { type: 'directory', path: 'inbox' },
    outputs: ['clinical.patients'],
    ...fields,
  });
  return { ...definition, file: join(folder, 'test.pipeline.yaml'), baseDir: folder };
}

describe('HL7 v2 mapping files of a pipeline', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-mappings-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('resolve map entries against the pipeline folder', () => {
    expect(
      hl7MappingPathsOf(pipelineIn(folder, { map: ['own', 'shared/x.mapping.yaml'] })),
    ).toEqual([join(folder, 'own'), join(folder, 'shared', 'x.mapping.yaml')]);
  });

  it('default to mappings/hl7v2 beside the pipeline file', async () => {
    await mkdir(join(folder, 'mappings', 'hl7v2'), { recursive: true });

    expect(hl7MappingPathsOf(pipelineIn(folder))).toEqual([join(folder, 'mappings', 'hl7v2')]);
  });

  it('default to the built-in mappings without such a folder', () => {
    expect(hl7MappingPathsOf(pipelineIn(folder))).toEqual([BUILT_IN_HL7_MAPPINGS_DIR]);
  });

  it('read the mapping files of a folder in name order', async () => {
    await writeFile(join(folder, 'b.mapping.yaml'), 'b');
    await writeFile(join(folder, 'a.mapping.yaml'), 'a');
    await writeFile(join(folder, 'notes.yaml'), 'not a mapping');

    expect(readHl7MappingSources([folder])).toEqual([
      { file: 'a.mapping.yaml', text: 'a' },
      { file: 'b.mapping.yaml', text: 'b' },
    ]);
  });

  it.each([
    {
      case: 'a missing path',
      setup: async () => join(folder, 'missing'),
      message: /does not exist/,
    },
    {
      case: 'a folder without mapping files',
      setup: async () => {
        await mkdir(join(folder, 'empty'));
        return join(folder, 'empty');
      },
      message: /has no \*\.mapping\.yaml file/,
    },
  ])('reject $case', async ({ setup, message }) => {
    const path = await setup();

    expect(() => readHl7MappingSources([path])).toThrow(PipelineError);
    expect(() => readHl7MappingSources([path])).toThrow(message);
  });

  it('compile only the files of the pipeline outputs', async () => {
    await writeFile(join(folder, 'patients.mapping.yaml'), PATIENTS_MAPPING);
    const mappings = loadHl7Mappings(pipelineIn(folder, { map: ['.'] }), DATASETS);

    expect(mappings.tables).toEqual(['clinical.patients']);
    expect(
      loadHl7Mappings(pipelineIn(folder, { map: ['.'], outputs: ['raw.hl7v2_segments'] }), DATASETS)
        .tables,
    ).toEqual([]);
  });

  it('check the files against the datasets', async () => {
    await writeFile(
      join(folder, 'patients.mapping.yaml'),
      `${PATIENTS_MAPPING}\n  nickname: { path: PID-5.3 }`,
    );

    expect(() => loadHl7Mappings(pipelineIn(folder, { map: ['.'] }), DATASETS)).toThrow(
      ConfigError,
    );
  });

  it('compile the built-in mappings against the repository datasets', () => {
    const outputs = ['clinical.patients', 'clinical.encounters', 'clinical.observations'];
    const mappings = loadHl7Mappings(pipelineIn(folder, { outputs }), DATASETS);

    expect(mappings.tables.sort()).toEqual([...outputs].sort());
  });
});

describe('decode.timeZone of a pipeline file', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-time-zone-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function writePipeline(timeZone: string): Promise<string> {
    const file = join(folder, 'adt.pipeline.yaml');
    await writeFile(
      file,
      [
        'name: adt',
        'source: { type: directory, path: inbox }',
        `decode: { format: hl7v2, timeZone: ${timeZone} }`,
        'outputs: [clinical.patients]',
      ].join('\n'),
    );
    return file;
  }

  it('rejects an unknown zone naming the key path', async () => {
    const file = await writePipeline('Mars/Olympus');
    let caught: unknown;
    try {
      loadPipelineFile(file);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([
      {
        keyPath: 'decode.timeZone',
        message:
          '"Mars/Olympus" is not an IANA time zone name; use one such as America/Chicago, Europe/Amsterdam or UTC (line 3)',
      },
    ]);
  });

  it('keeps a zone name for the mappings', async () => {
    const file = await writePipeline('America/Chicago');

    expect(loadPipelineFile(file).decode).toEqual({
      format: 'hl7v2',
      mode: 'lenient',
      timeZone: 'America/Chicago',
    });
  });
});

describe('decodeHl7 with mapping files', () => {
  const outputs = [
    'raw.hl7v2_segments',
    'clinical.patients',
    'clinical.encounters',
    'clinical.observations',
  ];
  const zoned = loadHl7Mappings(
    pipelineIn(tmpdir(), {
      outputs,
      decode: { format: 'hl7v2', mode: 'lenient', timeZone: 'Europe/Amsterdam' },
    }),
    DATASETS,
  );
  const decodeWith = (
    hl7Mappings: Hl7MappingSet,
    segments: readonly string[],
    landingKey: string,
    controlIds: ControlIdRegistry,
  ) =>
    decodeHl7(Buffer.from(segments.join('\r')), {
      landingKey,
      ingestedAt: INGESTED_AT,
      mode: 'lenient',
      hl7Mappings,
      controlIds,
    });
  const decode = (segments: readonly string[], landingKey: string, controlIds: ControlIdRegistry) =>
    decodeWith(zoned, segments, landingKey, controlIds);

  it('routes the rows of each table and lists attachments once', () => {
    const decoded = decode(ADT, 'landing/a.hl7', new ControlIdRegistry());

    expect(
      Object.fromEntries([...decoded.rowsByTable].map(([table, rows]) => [table, rows.length])),
    ).toEqual({
      'raw.hl7v2_segments': 5,
      'clinical.patients': 1,
      'clinical.encounters': 1,
      'clinical.observations': 2,
    });
    expect(decoded.attachments).toEqual([
      {
        key: expect.stringMatching(/^raw\/hl7v2_attachments\/[0-9a-f]{2}\/[0-9a-f]{64}$/),
        bytes: Buffer.from('%PDF-'),
        mediaType: 'application/pdf',
      },
    ]);
  });

  it('notices a control id reused across the files of a run', () => {
    const controlIds = new ControlIdRegistry();
    decode(ADT, 'landing/a.hl7', controlIds);
    const resent = decode(ADT, 'landing/b.hl7', controlIds);
    const reused = decode(
      ADT.map((segment) => segment.replace('WARD', 'ICU')),
      'landing/c.hl7',
      controlIds,
    );

    expect(resent.mappingWarnings).toEqual([]);
    expect(reused.mappingWarnings.map((warning) => [warning.code, warning.position])).toEqual([
      [
        'control-id-reused',
        { file: 'landing/c.hl7', record: 0, line: 1, segment: 'MSH', field: 'MSH-10' },
      ],
    ]);
    // The parser warns the same about both files; the mapping adds one.
    expect(reused.warnings).toBe(resent.warnings + 1);
  });

  it('reads MSH-7 without an offset in decode.timeZone', () => {
    const decoded = decode(ADT, 'landing/a.hl7', new ControlIdRegistry());
    const [patient] = decoded.rowsByTable.get('clinical.patients') ?? [];

    expect(patient?.['event_time']).toEqual(new Date('2024-01-02T02:04:05.000Z'));
    expect(decoded.mappingWarnings).toEqual([]);
  });

  it('reads MSH-7 as UTC with one warning without decode.timeZone', () => {
    const unzoned = loadHl7Mappings(pipelineIn(tmpdir(), { outputs }), DATASETS);
    const decoded = decodeWith(unzoned, ADT, 'landing/a.hl7', new ControlIdRegistry());
    const [patient] = decoded.rowsByTable.get('clinical.patients') ?? [];

    expect(patient?.['event_time']).toEqual(new Date('2024-01-02T03:04:05.000Z'));
    expect(decoded.mappingWarnings.map((warning) => [warning.code, warning.position])).toEqual([
      [
        'timestamp-without-offset',
        { file: 'landing/a.hl7', record: 0, line: 1, segment: 'MSH', field: 'MSH-7' },
      ],
    ]);
  });
});
