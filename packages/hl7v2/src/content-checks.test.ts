// Real: the parser over inline synthetic messages (no real person) with damaged values.
// Faked: nothing.
import { Hl7ParseError } from './errors';
import { parseHl7File } from './parse-file';

const HEADER = 'MSH|^~\\&|APP|FAC|||20240102||ADT^A08^ADT_A01|CTRL-7|P|2.5';

function message(...segments: string[]): string {
  return [HEADER, 'EVN|A08', ...segments].join('\r') + '\r';
}

describe('unterminated escapes', () => {
  it.each([
    {
      case: 'lone escape in a field',
      pid: 'PID|1||C:\\TEMP',
      path: 'PID-3',
      value: 'C:\\TEMP',
      position: { field: 'PID-3', repetition: 1, component: 1, subcomponent: 1 },
    },
    {
      case: 'lone escape in a later repetition and component',
      pid: 'PID|1||A~B^C\\D',
      path: 'PID-3[2].2',
      value: 'C\\D',
      position: { field: 'PID-3', repetition: 2, component: 2, subcomponent: 1 },
    },
    {
      case: 'lone escape after a closed sequence in a subcomponent',
      pid: 'PID|1||A^B&\\S\\x\\',
      path: 'PID-3.2.2',
      value: '^x\\',
      position: { field: 'PID-3', repetition: 1, component: 2, subcomponent: 2 },
    },
  ])('$case: kept as text with a warning', ({ pid, path, value, position }) => {
    const result = parseHl7File(message(pid, 'PV1|1'), { file: 'adt.hl7' });
    const warnings = result.warnings.filter((warning) => warning.code === 'unterminated-escape');

    expect(result.messages[0]?.get(path)).toBe(value);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.position).toEqual({
      file: 'adt.hl7',
      line: 3,
      record: 0,
      controlId: 'CTRL-7',
      segment: 'PID',
      segmentIndex: 2,
      ...position,
    });
    expect(warnings[0]?.reason).not.toContain('TEMP');
  });

  it('counts several in one warning', () => {
    const result = parseHl7File(message('PID|1||A\\|B\\~C\\', 'PV1|1|\\'));
    const [warning] = result.warnings.filter((entry) => entry.code === 'unterminated-escape');

    expect(warning?.count).toBe(4);
    expect(warning?.position.field).toBe('PID-3');
    expect(warning?.reason).toBe(
      'message 0: PID-3 contains an escape character that no escape character closes; it is kept as text (4 value(s) in this message)',
    );
  });

  it('draws no warning without an escape character in MSH-2', () => {
    const text = message('PID|1||C:\\TEMP', 'PV1|1').replace('MSH|^~\\&|', 'MSH|^~|');
    const result = parseHl7File(text);

    expect(result.messages[0]?.get('PID-3')).toBe('C:\\TEMP');
    expect(result.warnings).toEqual([]);
  });
});

describe('run-on segments', () => {
  it.each([
    {
      case: 'segment after a space',
      pid: 'PID|1||MRN||DOE|N ROL|1|UP',
      field: 'PID-6',
      id: 'ROL',
    },
    {
      case: 'segment after a tab',
      pid: 'PID|1||MRN\tPV1|1|O',
      field: 'PID-3',
      id: 'PV1',
    },
  ])('$case is reported and kept as data', ({ pid, field, id }) => {
    const result = parseHl7File(message(pid, 'PV1|1'));
    const warning = result.warnings.find((entry) => entry.code === 'run-on-segment');

    expect(result.messages[0]?.segments.map((segment) => segment.id)).toEqual([
      'MSH',
      'EVN',
      'PID',
      'PV1',
    ]);
    expect(warning?.position).toMatchObject({ segment: 'PID', segmentIndex: 2, field, line: 3 });
    expect(warning?.reason).toContain(`the segment id ${id}`);
  });

  it.each([
    { case: 'id with no separator after it', pid: 'PID|1||MRN||DOE ROL' },
    { case: 'word that is no segment id', pid: 'PID|1||MRN||DOE JR|X' },
    { case: 'id with no white space before it', pid: 'PID|1||MRNROL|X' },
    { case: 'Z id', pid: 'PID|1||12345 ZIP|X' },
  ])('ignores $case', ({ pid }) => {
    const result = parseHl7File(message(pid, 'PV1|1'));

    expect(result.warnings.map((warning) => warning.code)).toEqual([]);
  });
});

describe('error descriptions', () => {
  it('name control id and coordinates only', () => {
    const problem = {
      code: 'invalid-date' as const,
      reason: 'PID-7 is not a valid date',
      position: {
        file: 'adt.hl7',
        line: 3,
        record: 0,
        controlId: 'CTRL-7',
        segment: 'PID',
        segmentIndex: 2,
        field: 'PID-7',
        repetition: 1,
        component: 1,
      },
    };

    expect(new Hl7ParseError(problem).describe()).toBe(
      'adt.hl7:3 record 0 segment PID field PID-7 control id CTRL-7 segment index 2 repetition 1 component 1: PID-7 is not a valid date',
    );
  });
});
