// Real: the parser over inline synthetic messages encoded as bytes in several character sets.
// Faked: nothing.
import { Buffer } from 'node:buffer';
import { CarelakeError } from '@carelake/core';
import { Hl7ParseError } from './errors';
import { parseHl7File, parseHl7Message } from './parse-file';

/** Build an MSH with MSH-18 set and a PID whose PID-5 is the family name. */
function message(msh18: string, familyName: string): string {
  const msh = [
    'MSH',
    '^~\\&',
    'APP',
    'FAC',
    '',
    '',
    '20240102',
    '',
    'ADT^A01',
    'CTRL-9',
    'P',
    '2.5',
    '',
    '',
    '',
    '',
    '',
    msh18,
  ];
  return `${msh.join('|')}\rPID|1||MRN-1^^^FAC||${familyName}^ANA\r`;
}

describe('character sets', () => {
  it.each([
    {
      case: 'ISO-8859-1 declared',
      msh18: '8859/1',
      encoding: 'latin1' as const,
      charset: 'iso-8859-1',
    },
    {
      case: 'Windows-1252 declared',
      msh18: 'cp1252',
      encoding: 'latin1' as const,
      charset: 'windows-1252',
    },
    { case: 'UTF-8 declared', msh18: 'UNICODE UTF-8', encoding: 'utf8' as const, charset: 'utf-8' },
    { case: 'nothing declared', msh18: '', encoding: 'utf8' as const, charset: 'utf-8' },
  ])('$case', ({ msh18, encoding, charset }) => {
    const result = parseHl7File(Buffer.from(message(msh18, 'M\u00fcller'), encoding));

    expect(result.warnings).toEqual([]);
    expect(result.messages[0]?.charset).toBe(charset);
    expect(result.messages[0]?.get('PID-5')).toBe('M\u00fcller');
    expect(result.messages[0]?.get('MSH-18')).toBe(msh18 === '' ? undefined : msh18);
  });

  it('reads Windows-1252 punctuation in 0x80-0x9F', () => {
    const bytes = Buffer.from(message('cp1252', 'O\x92Brien'), 'latin1');

    expect(parseHl7File(bytes).messages[0]?.get('PID-5')).toBe('O\u2019Brien');
  });

  it('decodes each message of a file in its own charset', () => {
    const bytes = Buffer.concat([
      Buffer.from(message('8859/1', 'M\u00fcller'), 'latin1'),
      Buffer.from(message('', 'M\u00fcller'), 'utf8'),
    ]);
    const result = parseHl7File(bytes);

    expect(result.messages.map((parsed) => parsed.charset)).toEqual(['iso-8859-1', 'utf-8']);
    expect(result.messages.map((parsed) => parsed.get('PID-5'))).toEqual([
      'M\u00fcller',
      'M\u00fcller',
    ]);
  });

  it('handles unsupported charset by mode', () => {
    const bytes = Buffer.from(message('ISO IR14', 'SATO'), 'utf8');
    const lenient = parseHl7File(bytes);
    const strict = parseHl7File(bytes, { mode: 'strict' });

    expect(lenient.messages[0]?.charset).toBe('utf-8');
    expect(lenient.warnings.map((warning) => [warning.code, warning.position.field])).toEqual([
      ['unsupported-charset', 'MSH-18'],
    ]);
    expect(strict.messages).toEqual([]);
    expect(strict.problems.map((problem) => [problem.code, problem.position.field])).toEqual([
      ['unsupported-charset', 'MSH-18'],
    ]);
  });

  it('takes a string as already decoded and strips its BOM', () => {
    const result = parseHl7File(`\ufeff${message('8859/1', 'M\u00fcller')}`);

    expect(result.messages[0]?.charset).toBeUndefined();
    expect(result.messages[0]?.get('PID-5')).toBe('M\u00fcller');
    expect(result.messages[0]?.range.start).toBe(1);
  });
});

describe('parseHl7Message', () => {
  it('returns the one message', () => {
    const { message: parsed, warnings } = parseHl7Message(message('', 'RIVERA'));

    expect(parsed.get('MSH-10')).toBe('CTRL-9');
    expect(warnings).toEqual([]);
  });

  it('throws Hl7ParseError with the position and no field values', () => {
    const text = message('', 'RIVERA').replace('MSH|^~\\&|', 'MSH|^|');
    let caught: unknown;
    try {
      parseHl7Message(text, { file: 'frame-7' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(Hl7ParseError);
    expect(caught).toBeInstanceOf(CarelakeError);
    const parseError = caught as Hl7ParseError;
    expect(parseError.code).toBe('invalid-encoding-characters');
    expect(parseError.position).toEqual({
      file: 'frame-7',
      line: 1,
      record: 0,
      segment: 'MSH',
      field: 'MSH-2',
    });
    expect(parseError.describe()).not.toMatch(/RIVERA|MRN-1|CTRL-9/);
  });

  it('throws when the input holds two messages', () => {
    const twice = message('', 'RIVERA') + message('', 'RIVERA');

    expect(() => parseHl7Message(twice)).toThrow('expected one HL7 v2 message, found 2');
  });
});
