// Real: the parser over inline synthetic batch and file envelopes (no real person).
// Faked: nothing.
import { SYNTHETIC_ADT_SEGMENTS } from './__fixtures__/testdata';
import { parseHl7File } from './parse-file';

const MESSAGE = SYNTHETIC_ADT_SEGMENTS.join('\r');

function message(controlId: string): string {
  return MESSAGE.replace('CTRL-1', controlId);
}

function lines(...segments: string[]): string {
  return segments.join('\r') + '\r';
}

describe('envelopes', () => {
  it('reads batches inside a file envelope', () => {
    const text = lines(
      'FHS|^~\\&',
      'BHS|^~\\&',
      message('A'),
      message('B'),
      'BTS|2',
      'BHS|^~\\&',
      message('C'),
      'BTS|1',
      'FTS|2',
    );
    const result = parseHl7File(text);

    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(
      result.messages.map((parsed) => [
        parsed.index,
        parsed.get('MSH-10'),
        parsed.batchHeader?.label,
      ]),
    ).toEqual([
      [0, 'A', 'BHS'],
      [1, 'B', 'BHS'],
      [2, 'C', 'BHS[2]'],
    ]);
  });

  it('counts bare messages in a file as one batch', () => {
    const result = parseHl7File(lines('FHS|^~\\&', message('A'), message('B'), 'FTS|1'));

    expect(result.messages).toHaveLength(2);
    expect(result.warnings).toEqual([]);
  });

  it('warns when a trailer count differs', () => {
    const result = parseHl7File(lines('BHS|^~\\&', message('A'), 'BTS|3'), { file: 'batch.hl7' });

    expect(result.messages).toHaveLength(1);
    expect(result.warnings).toEqual([
      {
        code: 'trailer-count-mismatch',
        reason: 'BTS-1 declares 3 message(s); 1 found',
        position: { file: 'batch.hl7', line: 6, segment: 'BTS', field: 'BTS-1' },
      },
    ]);
  });

  it.each([
    {
      case: 'missing BTS',
      text: lines('BHS|^~\\&', message('A')),
      code: 'missing-batch-trailer',
      segment: 'BHS',
    },
    {
      case: 'missing FTS',
      text: lines('FHS|^~\\&', message('A')),
      code: 'missing-file-trailer',
      segment: 'FHS',
    },
    {
      case: 'BTS without BHS',
      text: lines(message('A'), 'BTS|1'),
      code: 'unmatched-batch-trailer',
      segment: 'BTS',
    },
    {
      case: 'FTS without FHS',
      text: lines(message('A'), 'FTS|1'),
      code: 'unmatched-file-trailer',
      segment: 'FTS',
    },
  ])('$case: warning in lenient mode, problem in strict mode', ({ text, code, segment }) => {
    const lenient = parseHl7File(text);
    const strict = parseHl7File(text, { mode: 'strict' });

    expect(lenient.messages).toHaveLength(1);
    expect(lenient.warnings.map((warning) => [warning.code, warning.position.segment])).toEqual([
      [code, segment],
    ]);
    expect(strict.messages).toHaveLength(1);
    expect(strict.problems.map((problem) => [problem.code, problem.position.segment])).toEqual([
      [code, segment],
    ]);
  });

  it('rejects segments before the first MSH and keeps later messages', () => {
    const result = parseHl7File(lines('EVN|A01', 'PID|1', message('A')));

    expect(result.messages.map((parsed) => [parsed.index, parsed.get('MSH-10')])).toEqual([
      [0, 'A'],
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.code).toBe('missing-message-header');
    expect(result.problems[0]?.reason).toBe(
      '2 segment(s) from line 1 belong to no message: the input starts with EVN, not MSH',
    );
    expect(result.problems[0]?.text).toBe('EVN|A01\rPID|1');
    expect(result.problems[0]?.range).toEqual({ start: 0, end: 13 });
  });

  it('rejects message cut by nested FHS', () => {
    const text = lines('FHS|^~\\&', message('A'), 'FHS|^~\\&', 'PID|1', 'FTS|1', message('B'));
    const result = parseHl7File(text);

    expect(
      result.problems.map((problem) => [
        problem.code,
        problem.position.record,
        problem.position.segment,
      ]),
    ).toEqual([['nested-file-header', 0, 'FHS[2]']]);
    expect(result.messages.map((parsed) => [parsed.index, parsed.get('MSH-10')])).toEqual([
      [1, 'B'],
    ]);
  });

  it('rejects a message with invalid encoding characters and parses the next', () => {
    const broken = message('A').replace('MSH|^~\\&|', 'MSH|^|');
    const result = parseHl7File(lines(broken, message('B')), { file: 'two.hl7' });

    expect(result.messages.map((parsed) => [parsed.index, parsed.get('MSH-10')])).toEqual([
      [1, 'B'],
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      code: 'invalid-encoding-characters',
      position: { file: 'two.hl7', line: 1, record: 0, segment: 'MSH', field: 'MSH-2' },
    });
    expect(result.problems[0]?.reason).toBe(
      'message 0 is rejected: MSH-2 holds 1 encoding character(s); expected 2 to 5: ' +
        'component, repetition, escape, subcomponent and truncation, in that order',
    );
  });

  it('warns about an empty input', () => {
    expect(parseHl7File('\r\n  \n').warnings.map((warning) => warning.code)).toEqual([
      'empty-input',
    ]);
    expect(parseHl7File(new Uint8Array()).messages).toEqual([]);
  });
});
