// Real: the interpreter over inline mappings and synthetic messages (no real person). Faked: nothing.
import { sha256Hex } from '@carelake/core';
import { ADT_SEGMENTS, INGESTED_AT, mapWith, SOURCE_FILE } from '../__fixtures__/inline-mapping';

const EACH_PID = ['each: PID'];

/** Map one column over the ADT message and return its value in the only row. */
function valueOf(
  definition: string,
  segments: readonly string[] = ADT_SEGMENTS,
  header: readonly string[] = EACH_PID,
): unknown {
  const { rows } = mapWith(header, { x: definition }, segments);
  expect(rows).toHaveLength(1);
  return rows[0]?.['x'];
}

function withSegment(id: string, text: string): string[] {
  return ADT_SEGMENTS.map((segment) => (segment.startsWith(`${id}|`) ? text : segment));
}

describe('path and paths', () => {
  it.each([
    { case: 'a component', definition: '{ path: PID-5.2 }', expected: 'ALEX' },
    { case: 'the first component by default', definition: '{ path: PID-5 }', expected: 'TESTER' },
    {
      case: 'the first repetition by default',
      definition: '{ path: PID-3.4 }',
      expected: 'NORTH-MRN',
    },
    { case: 'a later repetition', definition: '{ path: "PID-3[2].1" }', expected: 'ALT-9' },
    { case: 'MSH from any rule', definition: '{ path: MSH-10 }', expected: 'CTRL-1' },
    { case: 'EVN from any rule', definition: '{ path: EVN-1 }', expected: 'A01' },
    { case: 'an absent field as null', definition: '{ path: PID-30 }', expected: null },
    {
      case: 'the first non-empty of paths',
      definition: '{ paths: [PID-30, PID-19, PID-8] }',
      expected: 'U',
    },
    { case: 'a variable as a path', definition: '{ path: $trigger_event }', expected: 'A01' },
  ])('reads $case', ({ definition, expected }) => {
    expect(valueOf(definition)).toBe(expected);
  });

  it('maps the HL7 null and blank text to null', () => {
    const segments = withSegment('PID', 'PID|1||MRN-7||""^   ||19800229');

    expect(valueOf('{ path: PID-5.1 }', segments)).toBeNull();
    expect(valueOf('{ path: PID-5.2 }', segments)).toBeNull();
  });

  it('unescapes and trims values', () => {
    const segments = withSegment('PID', 'PID|1||MRN-7||  O\\T\\BRIEN ^ALEX');

    expect(valueOf('{ path: PID-5.1 }', segments)).toBe('O&BRIEN');
  });
});

describe('template', () => {
  it.each([
    {
      case: 'paths and literals',
      template: '"k:{PID-3.4}:{PID-3.1}"',
      expected: 'k:NORTH-MRN:MRN-7',
    },
    {
      case: 'the first alternative that is not empty',
      template: '"{PID-30|PID-3.4.2|MSH-4}"',
      expected: 'NORTH',
    },
    {
      case: 'an optional empty placeholder as empty text',
      template: '"a{PID-30?}b{PID-8}"',
      expected: 'abU',
    },
    {
      case: 'an empty required placeholder as null',
      template: '"a{PID-30}b{PID-8}"',
      expected: null,
    },
    { case: 'every placeholder empty as null', template: '"{PID-30?}^{PID-31?}"', expected: null },
    { case: 'literal braces', template: '"{{{PID-8}}}"', expected: '{U}' },
    {
      case: 'the first template that is not null',
      template: '["x:{PID-30}", "y:{PID-8}"]',
      expected: 'y:U',
    },
    { case: 'the row number', template: '"{MSH-10}#{$row_number}"', expected: 'CTRL-1#1' },
    {
      case: 'the message code',
      template: '"{$message_code}^{$trigger_event}"',
      expected: 'ADT^A01',
    },
  ])('builds $case', ({ template, expected }) => {
    expect(valueOf(`{ template: ${template} }`)).toBe(expected);
  });

  it('stands in the message hash for an empty control id', () => {
    const segments = ['MSH|^~\\&|APP|FAC|||20240102||ADT^A01||P|2.5', 'PID|1||MRN-7'];
    const hash = sha256Hex(segments.join('\r'));

    expect(valueOf('{ template: "{$message_id}" }', segments)).toBe(`sha256-${hash}`);
    expect(valueOf('{ path: $message_hash }', segments)).toBe(hash);
  });

  it('takes the trigger event from EVN-1 when MSH-9.2 is empty', () => {
    const segments = [
      'MSH|^~\\&|APP|FAC|||20240102||ADT|C-2|P|2.3',
      'EVN|A08|20240102',
      'PID|1||MRN-7',
    ];

    expect(valueOf('{ path: $trigger_event }', segments)).toBe('A08');
  });
});

describe('value, column, format and default', () => {
  it.each([
    { case: 'a string constant', definition: '{ value: hl7v2 }', expected: 'hl7v2' },
    { case: 'a boolean constant', definition: '{ value: true }', expected: true },
    { case: 'a number constant', definition: '{ value: 2.5 }', expected: 2.5 },
    { case: 'null', definition: '{ value: null }', expected: null },
    { case: 'a default for null', definition: '{ path: PID-30, default: none }', expected: 'none' },
    {
      case: 'a timestamp as year_month',
      definition: '{ path: MSH-7, format: year_month }',
      expected: '2024-01',
    },
    {
      case: 'an empty year_month with its default',
      definition: '{ path: PID-30, format: year_month, default: unknown }',
      expected: 'unknown',
    },
  ])('maps $case', ({ definition, expected }) => {
    expect(valueOf(definition)).toBe(expected);
  });

  it('copies another column, whatever the order of the columns', () => {
    const { rows } = mapWith(EACH_PID, {
      month: '{ column: sent, format: year_month, default: unknown }',
      sent: '{ path: MSH-7, type: timestamp }',
      copy: '{ column: sent }',
    });

    expect(rows[0]?.['month']).toBe('2024-01');
    expect(rows[0]?.['copy']).toEqual(new Date('2024-01-02T02:04:05.000Z'));
  });
});

describe('types', () => {
  it.each([
    {
      case: 'date',
      definition: '{ path: PID-7, type: date }',
      expected: new Date('1980-02-29T00:00:00.000Z'),
    },
    {
      case: 'timestamp with offset',
      definition: '{ path: MSH-7, type: timestamp }',
      expected: new Date('2024-01-02T02:04:05.000Z'),
    },
    {
      case: 'timestamp without offset',
      definition: '{ path: PV1-44, type: timestamp }',
      expected: new Date('2024-01-01T12:00:00.000Z'),
    },
    { case: 'double', definition: '{ path: PID-1, type: double }', expected: 1 },
    { case: 'bigint', definition: '{ path: PID-1, type: bigint }', expected: 1 },
    { case: 'int', definition: '{ path: PID-1, type: int }', expected: 1 },
  ])('reads a $case', ({ definition, expected }) => {
    expect(valueOf(definition, ADT_SEGMENTS, ['each: PID', 'following: [PV1]'])).toEqual(expected);
  });

  it.each([
    { case: 'Y', text: 'Y', expected: true },
    { case: 'N', text: 'N', expected: false },
    { case: 'true', text: 'true', expected: true },
    { case: '0', text: '0', expected: false },
  ])('reads boolean $case', ({ text, expected }) => {
    const segments = withSegment('PID', `PID|1||MRN-7|||||||||||||||||||||||||||${text}`);

    expect(valueOf('{ path: PID-30, type: boolean }', segments)).toBe(expected);
  });

  it.each([
    { case: 'date', type: 'date', text: '20230230', code: 'invalid-date' },
    { case: 'timestamp', type: 'timestamp', text: '2023-01-01', code: 'invalid-date' },
    { case: 'double', type: 'double', text: '1e3', code: 'invalid-number' },
    { case: 'bigint', type: 'bigint', text: '1.5', code: 'invalid-number' },
    { case: 'int', type: 'int', text: '3000000000', code: 'invalid-number' },
    { case: 'boolean', type: 'boolean', text: 'maybe', code: 'invalid-boolean' },
  ])('maps an invalid $case to null with a warning', ({ type, text, code }) => {
    const segments = withSegment('PID', `PID|1||MRN-7|||||||||||||||||||||||||||${text}`);
    const { rows, warnings } = mapWith(
      EACH_PID,
      { x: `{ path: PID-30, type: ${type} }` },
      segments,
    );

    expect(rows[0]?.['x']).toBeNull();
    expect(warnings).toEqual([
      {
        code,
        reason: expect.stringMatching(/^message 0: PID-30 is not .*; clinical\.test\.x is null$/),
        position: { file: SOURCE_FILE, record: 0, line: 3, segment: 'PID', field: 'PID-30' },
      },
    ]);
    expect(warnings[0]?.reason).not.toContain(text);
  });

  it('tries the next path after an invalid one', () => {
    const segments = withSegment('PID', 'PID|1||MRN-7||||2023-01-01');
    const { rows, warnings } = mapWith(
      EACH_PID,
      { x: '{ paths: [PID-7, MSH-7], type: timestamp }' },
      segments,
    );

    expect(rows[0]?.['x']).toEqual(new Date('2024-01-02T02:04:05.000Z'));
    expect(warnings.map((warning) => warning.position.field)).toEqual(['PID-7']);
  });

  it('warns once per field when several columns read it', () => {
    const segments = withSegment('MSH', 'MSH|^~\\&|ADMIT|NORTH|||2024-01-02||ADT^A01|CTRL-1|P|2.5');
    const { warnings } = mapWith(
      EACH_PID,
      { a: '{ path: MSH-7, type: timestamp }', b: '{ path: MSH-7, type: date }' },
      segments,
    );

    expect(warnings.map((warning) => `${warning.code} ${warning.position.field}`)).toEqual([
      'invalid-date MSH-7',
    ]);
  });
});

describe('when', () => {
  it.each([
    { case: 'a matching trigger', condition: '{ trigger: A01 }', expected: 'then' },
    { case: 'a trigger in a list', condition: '{ trigger: [A03, A01] }', expected: 'then' },
    { case: 'another trigger', condition: '{ trigger: A11 }', expected: 'otherwise' },
    { case: 'a matching value', condition: '{ path: PID-8, equals: U }', expected: 'then' },
    {
      case: 'a value in a list',
      condition: '{ path: PID-8, equals: [F, M] }',
      expected: 'otherwise',
    },
    { case: 'an empty value', condition: '{ path: PID-30, equals: "" }', expected: 'otherwise' },
    {
      case: 'trigger and value both holding',
      condition: '{ trigger: A01, path: PID-8, equals: U }',
      expected: 'then',
    },
    {
      case: 'trigger holding but not value',
      condition: '{ trigger: A01, path: PID-8, equals: F }',
      expected: 'otherwise',
    },
  ])('chooses for $case', ({ condition, expected }) => {
    expect(valueOf(`{ when: ${condition}, value: then, else: otherwise }`)).toBe(expected);
  });

  it('reads the else branch as a source', () => {
    const definition =
      '{ type: timestamp, when: { trigger: A13 }, value: null, else: { path: PV1-44 } }';

    expect(valueOf(definition, ADT_SEGMENTS, ['each: PV1'])).toEqual(
      new Date('2024-01-01T12:00:00.000Z'),
    );
  });

  it('is null without else when the condition fails', () => {
    expect(valueOf('{ when: { trigger: A13 }, value: true }')).toBeNull();
  });
});

describe('rows', () => {
  const ORU = [
    'MSH|^~\\&|LAB|SOUTH|||20240301||ORU^R01|LAB-1|P|2.5.1',
    'PID|1||P-1^^^SOUTH',
    'OBR|1|PL-1||CODE-A',
    'OBX|1|NM|A1||1',
    'OBX|2|NM|A2||2',
    'NTE|1||note',
    'PID|2||P-2^^^SOUTH',
    'OBX|3|NM|B1||3',
    'OBR|2|PL-2||CODE-B',
    'OBX|4|NM|B2||4',
  ];

  it('gives each row segment its nearest context segments', () => {
    const { rows } = mapWith(
      ['each: OBX', 'context: [PID, OBR]'],
      {
        code: '{ path: OBX-3 }',
        patient: '{ path: PID-3.1 }',
        order: '{ path: OBR-2 }',
        number: '{ path: $row_number, type: bigint }',
      },
      ORU,
    );

    expect(rows.map((row) => [row['code'], row['patient'], row['order'], row['number']])).toEqual([
      ['A1', 'P-1', 'PL-1', 1],
      ['A2', 'P-1', 'PL-1', 2],
      ['B1', 'P-2', 'PL-1', 3],
      ['B2', 'P-2', 'PL-2', 4],
    ]);
  });

  it('collects following segments per row', () => {
    const { rows } = mapWith(
      ['each: OBR', 'context: [PID]', 'following: [OBX]'],
      {
        order: '{ path: OBR-2 }',
        first_result: '{ path: OBX-3 }',
      },
      ORU,
    );

    expect(rows.map((row) => [row['order'], row['first_result']])).toEqual([
      ['PL-1', 'A1'],
      ['PL-2', 'B2'],
    ]);
  });

  it('ends following segments at a context segment', () => {
    const segments = [ORU[0] ?? '', 'PID|1||P-1', 'OBR|1|PL-1', 'PID|2||P-2', 'OBX|1|NM|B1||3'];
    const { rows } = mapWith(
      ['each: OBR', 'context: [PID]', 'following: [OBX]'],
      { order: '{ path: OBR-2 }', first_result: '{ path: OBX-3 }' },
      segments,
    );

    expect(rows.map((row) => [row['order'], row['first_result']])).toEqual([['PL-1', null]]);
  });

  it('maps one row per message with each: message', () => {
    const { rows } = mapWith(
      ['each: message'],
      { second_code: '{ path: "OBX[2]-3" }', order: '{ path: OBR-2 }' },
      ORU,
    );

    expect(rows).toEqual([expect.objectContaining({ second_code: 'A2', order: 'PL-1' })]);
  });

  it('leaves out a row whose required column is null', () => {
    const { rows } = mapWith(
      ['each: PID'],
      { id: '{ path: PID-3.1, required: true }', other: '{ path: PID-30 }' },
      [...ORU, 'PID|3||^^^SOUTH'],
    );

    expect(rows.map((row) => row['id'])).toEqual(['P-1', 'P-2']);
  });

  it.each([
    { case: 'its message code', messages: '[ORU]', count: 1 },
    { case: 'its message type', messages: '[ADT^A01, ORU^R01]', count: 1 },
    { case: 'another trigger event', messages: '[ORU^R30]', count: 0 },
    { case: 'another message code', messages: '[ADT]', count: 0 },
  ])('maps a message of $case', ({ messages, count }) => {
    expect(
      mapWith([`messages: ${messages}`, 'each: message'], { x: '{ value: 1 }' }, ORU).rows,
    ).toHaveLength(count);
  });

  it('adds the lineage columns', () => {
    const { rows } = mapWith(EACH_PID, { x: '{ value: 1 }' });

    expect(rows[0]).toEqual({
      x: 1,
      source_format: 'hl7v2',
      source_system: 'ADMIT^NORTH',
      source_id: 'CTRL-1',
      source_file: SOURCE_FILE,
      source_position: 0,
      ingested_at: INGESTED_AT,
      facility: 'NORTH',
    });
  });
});

describe('builtin record_hash', () => {
  const header = ['each: OBX'];
  const segments = [...ADT_SEGMENTS, 'OBX|1|NM|HR||72', 'OBX|2|NM|HR||73'];

  function hashes(input: readonly string[]): unknown[] {
    return mapWith(header, { hash: '{ builtin: record_hash }' }, input).rows.map(
      (row) => row['hash'],
    );
  }

  it('differs between rows of a message', () => {
    const [first, second] = hashes(segments);

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toBe(second);
  });

  it('is equal for the same message sent again', () => {
    expect(hashes(segments)).toEqual(hashes([...segments]));
  });

  it('differs for a reused control id with other content', () => {
    const changed = segments.map((segment) => segment.replace('||73', '||74'));

    expect(hashes(changed)[0]).not.toBe(hashes(segments)[0]);
  });
});
