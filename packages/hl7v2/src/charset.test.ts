// Real: the parser over inline synthetic messages encoded as bytes in several character sets.
// Faked: nothing.
import { Buffer } from 'node:buffer';
import { CarelakeError } from '@carelake/core';
import { Hl7OptionsError, Hl7ParseError } from './errors';
import { parseHl7File, parseHl7Message } from './parse-file';

/** Build an ADT^A01 with MSH-18 set and a PID whose PID-5 is the family name. */
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
  return `${msh.join('|')}\rEVN|A01\rPID|1||MRN-1^^^FAC||${familyName}^ANA\rPV1|1|O\r`;
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

describe('configured character sets', () => {
  it.each([
    {
      case: 'default used when MSH-18 is empty',
      msh18: '',
      bytes: 'latin1' as const,
      options: { defaultCharset: 'windows-1252' },
      charset: 'windows-1252',
      warnings: [],
    },
    {
      case: 'default given as an MSH-18 name',
      msh18: '',
      bytes: 'latin1' as const,
      options: { defaultCharset: '8859/1' },
      charset: 'iso-8859-1',
      warnings: [],
    },
    {
      case: 'MSH-18 wins over the default',
      msh18: 'UNICODE UTF-8',
      bytes: 'utf8' as const,
      options: { defaultCharset: 'windows-1252' },
      charset: 'utf-8',
      warnings: [],
    },
    {
      case: 'override wins over MSH-18',
      msh18: 'UNICODE UTF-8',
      bytes: 'latin1' as const,
      options: { charsetOverride: 'ISO-8859-1' },
      charset: 'iso-8859-1',
      warnings: [],
    },
    {
      case: 'override kept when the bytes look like UTF-8',
      msh18: '',
      bytes: 'utf8' as const,
      options: { charsetOverride: 'windows-1252' },
      charset: 'windows-1252',
      warnings: ['charset-mismatch'],
      pid5: 'M\u00c3\u00bcller',
    },
    {
      case: 'default replaced when the bytes look like UTF-8',
      msh18: '',
      bytes: 'utf8' as const,
      options: { defaultCharset: 'iso-8859-1' },
      charset: 'utf-8',
      warnings: ['charset-mismatch'],
    },
    {
      case: 'ASCII declared with UTF-8 text',
      msh18: 'ASCII',
      bytes: 'utf8' as const,
      options: {},
      charset: 'utf-8',
      warnings: ['charset-mismatch'],
    },
    {
      case: 'UTF-8 declared with Latin-1 bytes',
      msh18: 'UNICODE UTF-8',
      bytes: 'latin1' as const,
      options: {},
      charset: 'windows-1252',
      warnings: ['invalid-utf8'],
    },
  ])('$case', ({ msh18, bytes, options, charset, warnings, pid5 = 'M\u00fcller' }) => {
    const result = parseHl7File(Buffer.from(message(msh18, 'M\u00fcller'), bytes), options);
    const parsed = result.messages[0];

    expect(parsed?.charset).toBe(charset);
    expect(parsed?.get('PID-5')).toBe(pid5);
    expect(result.warnings.map((warning) => warning.code)).toEqual(warnings);
    expect(result.warnings.every((warning) => warning.position.field === 'MSH-18')).toBe(true);
  });

  it.each([
    { case: 'unknown default', options: { defaultCharset: 'ebcdic' }, key: 'defaultCharset' },
    { case: 'unknown override', options: { charsetOverride: 'utf-7' }, key: 'charsetOverride' },
  ])('rejects an $case', ({ options, key }) => {
    let caught: unknown;
    try {
      parseHl7File(message('', 'RIVERA'), options);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(Hl7OptionsError);
    expect((caught as Hl7OptionsError).position).toEqual({ keyPath: key });
    expect((caught as Hl7OptionsError).hint).toContain('utf-8, iso-8859-1');
  });

  it.each([
    { case: 'truncated sequence before a separator', pid5: Buffer.from([0x41, 0xc3]) },
    { case: 'byte that UTF-8 never uses', pid5: Buffer.from([0xff, 0xfe]) },
    { case: 'lone continuation byte', pid5: Buffer.from([0x80]) },
    { case: 'overlong encoding of a separator', pid5: Buffer.from([0xc1, 0xbc]) },
  ])('keeps the structure around invalid bytes: $case', ({ pid5 }) => {
    const [before = '', after = ''] = message('UNICODE UTF-8', '@@').split('@@');
    const bytes = Buffer.concat([Buffer.from(before), pid5, Buffer.from(after)]);
    const result = parseHl7File(bytes);
    const parsed = result.messages[0];

    expect(parsed?.segments.map((segment) => segment.id)).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
    expect(parsed?.get('PID-5.2')).toBe('ANA');
    expect(parsed?.get('PID-3.4')).toBe('FAC');
    expect(parsed?.get('PV1-2')).toBe('O');
    expect(parsed?.get('MSH-10')).toBe('CTRL-9');
    expect(result.warnings.map((warning) => warning.code)).toEqual(['invalid-utf8']);
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
      segmentIndex: 0,
      field: 'MSH-2',
    });
    expect(parseError.describe()).not.toMatch(/RIVERA|MRN-1|CTRL-9/);
  });

  it('throws when the input holds two messages', () => {
    const twice = message('', 'RIVERA') + message('', 'RIVERA');

    expect(() => parseHl7Message(twice)).toThrow('expected one HL7 v2 message, found 2');
  });
});
