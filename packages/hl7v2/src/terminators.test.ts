// Real: the parser over small synthetic messages (no real person) built with each terminator style.
// Faked: nothing.
import { SYNTHETIC_ADT_SEGMENTS } from './__fixtures__/testdata';
import type { Hl7IssueCode } from './issues';
import { parseHl7File } from './parse-file';

const [MSH = '', EVN = '', PID = '', PV1 = ''] = SYNTHETIC_ADT_SEGMENTS;

interface TerminatorCase {
  case: string;
  input: string;
  lenientWarnings: Hl7IssueCode[];
  strictProblem: Hl7IssueCode | undefined;
}

const cases: TerminatorCase[] = [
  {
    case: 'CR',
    input: `${MSH}\r${EVN}\r${PID}\r${PV1}\r`,
    lenientWarnings: [],
    strictProblem: undefined,
  },
  {
    case: 'LF',
    input: `${MSH}\n${EVN}\n${PID}\n${PV1}\n`,
    lenientWarnings: ['segment-terminator-lf'],
    strictProblem: 'segment-terminator-lf',
  },
  {
    case: 'CRLF',
    input: `${MSH}\r\n${EVN}\r\n${PID}\r\n${PV1}\r\n`,
    lenientWarnings: ['segment-terminator-crlf'],
    strictProblem: 'segment-terminator-crlf',
  },
  {
    case: 'mixed CR and LF',
    input: `${MSH}\r${EVN}\n${PID}\r${PV1}\r`,
    lenientWarnings: ['segment-terminator-lf', 'mixed-segment-terminators'],
    strictProblem: 'segment-terminator-lf',
  },
  {
    case: 'doubled CR',
    input: `${MSH}\r\r${EVN}\r${PID}\r${PV1}\r`,
    lenientWarnings: ['empty-segment'],
    strictProblem: 'empty-segment',
  },
  {
    case: 'blank line of spaces',
    input: `${MSH}\r${EVN}\r   \r${PID}\r${PV1}\r`,
    lenientWarnings: ['empty-segment'],
    strictProblem: 'empty-segment',
  },
  {
    case: 'missing final terminator',
    input: `${MSH}\r${EVN}\r${PID}\r${PV1}`,
    lenientWarnings: ['missing-final-terminator'],
    strictProblem: 'missing-final-terminator',
  },
];

describe('segment terminators', () => {
  it.each(cases)('$case: lenient mode keeps the segments apart', ({ input, lenientWarnings }) => {
    const result = parseHl7File(input);
    const message = result.messages[0];

    expect(result.problems).toEqual([]);
    expect(result.messages).toHaveLength(1);
    expect(message?.segments.map((segment) => segment.id)).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
    expect(message?.segments.map((segment) => segment.text)).toEqual([MSH, EVN, PID, PV1]);
    expect(message?.text).toBe(`${MSH}\r${EVN}\r${PID}\r${PV1}`);
    expect(message?.get('PID-8')).toBe('U');
    // The version is the last field of the MSH: it never takes in the terminator or the next segment.
    expect(message?.get('MSH-12')).toBe('2.5');
    expect(message?.header.fieldCount).toBe(12);
    expect(result.warnings.map((warning) => warning.code).sort()).toEqual(
      [...lenientWarnings].sort(),
    );
  });

  it.each(cases)('$case: strict mode', ({ input, strictProblem }) => {
    const result = parseHl7File(input, { mode: 'strict', file: 'inline.hl7' });

    expect(result.problems.map((problem) => problem.code)).toEqual(
      strictProblem ? [strictProblem] : [],
    );
    expect(result.messages).toHaveLength(strictProblem ? 0 : 1);
    if (strictProblem) {
      expect(result.problems[0]?.position.record).toBe(0);
      expect(result.problems[0]?.text).toContain('PID|1||MRN-7');
    }
  });

  it('counts one warning per kind across messages', () => {
    const message = `${MSH}\n${EVN}\n${PID}\n${PV1}\n`;
    const result = parseHl7File(message + message.replace('CTRL-1', 'CTRL-2'));
    const [warning] = result.warnings;

    expect(result.messages.map((parsed) => parsed.get('MSH-10'))).toEqual(['CTRL-1', 'CTRL-2']);
    expect(result.warnings).toHaveLength(1);
    expect(warning?.code).toBe('segment-terminator-lf');
    expect(warning?.count).toBe(8);
    expect(warning?.position).toEqual({
      line: 1,
      record: 0,
      controlId: 'CTRL-1',
      segment: 'MSH',
      segmentIndex: 0,
    });
  });

  it('keeps a line break that starts no segment inside the field', () => {
    const result = parseHl7File(`${MSH}\r${EVN}\r${PID}|first line\nsecond line\r${PV1}\r`);
    const pid = result.messages[0]?.segment('PID');

    expect(result.messages[0]?.segments).toHaveLength(4);
    expect(pid?.get('9')).toBe('first line\nsecond line');
    expect(result.warnings.map((warning) => warning.code)).toEqual(['line-break-in-segment']);
    expect(
      parseHl7File(`${MSH}\r${EVN}\r${PID}|a\nb\r`, { mode: 'strict' }).problems[0]?.code,
    ).toBe('line-break-in-segment');
  });

  it('starts a message only at MSH and a field separator', () => {
    const text = `${MSH}\r${EVN}\r${PID}|note\nMSH_MRN^X\r${PV1}\r${MSH.replace('CTRL-1', 'CTRL-2')}\r`;
    const result = parseHl7File(text);

    expect(result.messages).toHaveLength(2);
    expect(result.messages[0]?.segment('PID')?.getEncoded('9')).toBe('note\nMSH_MRN^X');
    expect(result.messages[1]?.get('MSH-10')).toBe('CTRL-2');
  });

  it('reports strict terminator problems on envelope segments without rejecting messages', () => {
    const text = `BHS|^~\\&|ADMIT\n${MSH}\r${EVN}\r${PID}\r${PV1}\rBTS|1`;
    const result = parseHl7File(text, { mode: 'strict' });

    expect(result.messages).toHaveLength(1);
    expect(result.problems.map((problem) => [problem.code, problem.position.segment])).toEqual([
      ['segment-terminator-lf', 'BHS'],
      ['missing-final-terminator', 'BTS'],
    ]);
    expect(result.problems.every((problem) => problem.text === undefined)).toBe(true);
  });
});
