// Real: the interpreter over inline mappings, synthetic messages (no real person), ICU time zones. Faked: nothing.
import { ConfigError } from '@carelake/core';
import { compileInline, mapInline, mappingText, SOURCE_FILE } from '../__fixtures__/inline-mapping';
import type { CompileHl7MappingsOptions } from './compile-mappings';

/** A synthetic ORU^R01: MSH-7 with an offset, the other times local to the sender. */
const ORU = [
  'MSH|^~\\&|LAB|SOUTH|||20240131200000-0600||ORU^R01|LAB-1|P|2.5.1',
  'PID|1||P-1^^^SOUTH||TESTER^ALEX||19800229',
  'OBR|1|PL-1||CODE-A|||20240131200000',
  'OBX|1|TS|TIME-A||202401312015||||||F|||20240131201500',
  'OBX|2|DT|DATE-A||20240131||||||F|||20240131201600',
];

const OBSERVATION_COLUMNS = {
  effective_time: '{ paths: [OBX-14, MSH-7], type: timestamp }',
  effective_month: '{ path: OBX-14, format: year_month }',
  order_time: '{ path: OBR-7, type: timestamp }',
  sent_time: '{ path: MSH-7, type: timestamp }',
  birth_date: '{ path: PID-7, type: date }',
  value_time: '{ builtin: observation_value.time }',
};

function mapObservations(
  options: CompileHl7MappingsOptions,
  columns: Record<string, string> = OBSERVATION_COLUMNS,
  segments: readonly string[] = ORU,
) {
  const text = mappingText(['each: OBX', 'context: [PID, OBR]'], columns);
  return mapInline(compileInline(text, options), segments);
}

function catchConfigError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

describe('timestamp columns with a sender time zone', () => {
  it('reads times without an offset in the zone', () => {
    const { rows } = mapObservations({ senderTimeZone: 'America/Chicago' });

    expect(rows[0]?.['effective_time']).toEqual(new Date('2024-02-01T02:15:00.000Z'));
    expect(rows[0]?.['order_time']).toEqual(new Date('2024-02-01T02:00:00.000Z'));
    expect(rows[0]?.['value_time']).toEqual(new Date('2024-02-01T02:15:00.000Z'));
  });

  it('formats year_month from the UTC instant', () => {
    const { rows } = mapObservations({ senderTimeZone: 'America/Chicago' });

    expect(rows[0]?.['effective_month']).toBe('2024-02');
  });

  it('keeps the offset a value states', () => {
    const { rows } = mapObservations({ senderTimeZone: 'Asia/Kolkata' });

    expect(rows[0]?.['sent_time']).toEqual(new Date('2024-02-01T02:00:00.000Z'));
  });

  it.each([
    { case: 'a date column', row: 0, column: 'birth_date', expected: '1980-02-29T00:00:00.000Z' },
    {
      case: 'a DT observation',
      row: 1,
      column: 'value_time',
      expected: '2024-01-31T00:00:00.000Z',
    },
  ])('leaves $case at UTC midnight', ({ row, column, expected }) => {
    const { rows } = mapObservations({ senderTimeZone: 'Asia/Kolkata' });

    expect(rows[row]?.[column]).toEqual(new Date(expected));
  });

  it('gives no timestamp-without-offset warning', () => {
    expect(mapObservations({ senderTimeZone: 'America/Chicago' }).warnings).toEqual([]);
  });

  it('rejects an unknown zone naming senderTimeZone', () => {
    const compile = () => mapObservations({ senderTimeZone: 'Mars/Olympus' });

    expect(compile).toThrow(ConfigError);
    expect(compile).toThrow('"Mars/Olympus" is not an IANA time zone name');
    expect(catchConfigError(compile).issues.map((issue) => issue.keyPath)).toEqual([
      'senderTimeZone',
    ]);
  });
});

describe('timestamp columns without a sender time zone', () => {
  it('reads times without an offset as UTC', () => {
    const { rows } = mapObservations({});

    expect(rows[0]?.['effective_time']).toEqual(new Date('2024-01-31T20:15:00.000Z'));
    expect(rows[0]?.['value_time']).toEqual(new Date('2024-01-31T20:15:00.000Z'));
    expect(rows[0]?.['effective_month']).toBe('2024-01');
  });

  it('warns once per message at the first such field', () => {
    const { warnings } = mapObservations({});

    expect(warnings).toEqual([
      {
        code: 'timestamp-without-offset',
        reason: expect.stringMatching(
          /^message 0: OBX-14 has no UTC offset and no sender time zone is configured, so clinical\.test\.effective_time reads it as UTC; .*decode\.timeZone/,
        ),
        position: { file: SOURCE_FILE, record: 0, line: 4, segment: 'OBX', field: 'OBX-14' },
      },
    ]);
    expect(warnings[0]?.reason).not.toContain('20240131');
  });

  it.each([
    {
      case: 'observation_value.time',
      definition: '{ builtin: observation_value.time }',
      field: 'OBX-5',
    },
    {
      case: 'a year_month branch',
      definition: '{ path: OBR-7, format: year_month }',
      field: 'OBR-7',
    },
  ])('warns about $case', ({ definition, field }) => {
    const { warnings } = mapObservations({}, { x: definition });

    expect(warnings.map((warning) => [warning.code, warning.position.field])).toEqual([
      ['timestamp-without-offset', field],
    ]);
  });

  it('warns about a template without naming a field', () => {
    const { warnings } = mapObservations({}, { time: '{ template: "{OBR-7}", type: timestamp }' });

    expect(warnings).toEqual([
      {
        code: 'timestamp-without-offset',
        reason: expect.stringContaining('the template of time has no UTC offset'),
        position: { file: SOURCE_FILE, record: 0 },
      },
    ]);
  });

  it.each([
    { case: 'values with an offset', definition: '{ path: MSH-7, type: timestamp }' },
    { case: 'a date column', definition: '{ path: PID-7, type: date }' },
    { case: 'a DT observation', definition: '{ builtin: observation_value.time }' },
  ])('does not warn about $case', ({ definition }) => {
    const dtOnly = ORU.filter((segment) => !segment.startsWith('OBX|1|'));

    expect(mapObservations({}, { x: definition }, dtOnly).warnings).toEqual([]);
  });

  it('warns again for the next message', () => {
    const mappings = compileInline(
      mappingText(['each: OBX', 'context: [PID, OBR]'], OBSERVATION_COLUMNS),
    );
    const first = mapInline(mappings, ORU);
    const second = mapInline(mappings, ORU);

    expect(first.warnings.map((warning) => warning.code)).toEqual(['timestamp-without-offset']);
    expect(second.warnings.map((warning) => warning.code)).toEqual(['timestamp-without-offset']);
  });
});
