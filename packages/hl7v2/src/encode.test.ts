// Real: the encoder and the parser over the shared HL7 v2 test files and inline synthetic values.
// Faked: nothing.
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { STANDARD_DELIMITERS, type Hl7Delimiters } from './delimiters';
import {
  buildHl7Message,
  encodeHl7Field,
  encodeHl7Message,
  encodeHl7Segment,
  type Hl7SegmentInput,
} from './encode';
import { Hl7EncodeError } from './errors';
import { parseHl7File } from './parse-file';

const CUSTOM: Hl7Delimiters = {
  field: ':',
  component: '-',
  repetition: '+',
  escape: '?',
  subcomponent: '*',
  truncation: undefined,
};
const NO_ESCAPE: Hl7Delimiters = {
  ...STANDARD_DELIMITERS,
  escape: undefined,
  subcomponent: undefined,
};

const MSH: Hl7SegmentInput = {
  id: 'MSH',
  fields: {
    3: 'APP',
    4: 'FAC',
    7: '20240102',
    9: ['ADT', 'A08', 'ADT_A01'],
    10: 'CTRL-2',
    11: 'P',
    12: '2.5',
  },
};
const EVN: Hl7SegmentInput = { id: 'EVN', fields: { 1: 'A08' } };
const PV1: Hl7SegmentInput = { id: 'PV1', fields: { 1: '1', 2: 'O' } };

/** Files that are canonical ER7: CR terminators throughout, a final CR, and no rejected message. */
function isCanonical(name: string): boolean {
  const result = parseHl7File(readHl7Fixture(name));
  const framing = [
    'segment-terminator-lf',
    'segment-terminator-crlf',
    'missing-final-terminator',
    'empty-segment',
    'line-break-in-segment',
  ];
  return (
    result.problems.length === 0 &&
    !result.warnings.some((warning) => framing.includes(warning.code))
  );
}

describe('encodeHl7Message', () => {
  const canonical = listHl7Fixtures().filter(isCanonical);

  it('finds canonical files to check', () => {
    expect(canonical.length).toBeGreaterThanOrEqual(10);
  });

  it.each(canonical.map((file) => ({ case: file, file })))(
    '$case: encode(parse(x)) is x',
    ({ file }) => {
      const bytes = readHl7Fixture(file);
      const result = parseHl7File(bytes);

      expect(result.messages.length).toBeGreaterThan(0);
      for (const message of result.messages) {
        // The message as received, from its MSH to the CR after its last segment.
        const received = bytes.subarray(message.range.start, message.range.end + 1);
        expect(message.charset).toBe('utf-8');
        expect(encodeHl7Message(message)).toBe(received.toString('utf8'));
      }
    },
  );

  it.each([
    {
      case: 'LF terminators',
      input: 'MSH|^~\\&|A\nPID|1||X\n',
      expected: 'MSH|^~\\&|A\rPID|1||X\r',
    },
    {
      case: 'CRLF and a doubled CR',
      input: 'MSH|^~\\&|A\r\n\rPID|1\r\n',
      expected: 'MSH|^~\\&|A\rPID|1\r',
    },
    {
      case: 'no final terminator',
      input: 'MSH|^~\\&|A\rPID|1|',
      expected: 'MSH|^~\\&|A\rPID|1|\r',
    },
    { case: 'two encoding characters', input: 'MSH|^~|A\rPID|1', expected: 'MSH|^~|A\rPID|1\r' },
    { case: 'five encoding characters', input: 'MSH|^~\\&#|A|\r', expected: 'MSH|^~\\&#|A|\r' },
  ])('writes CR terminators and MSH-2 as received: $case', ({ input, expected }) => {
    const messages = parseHl7File(input).messages;

    expect(messages.map(encodeHl7Message)).toEqual([expected]);
  });
});

describe('buildHl7Message', () => {
  it('escapes values and reads them back', () => {
    const values = [
      'a|b',
      'c^d',
      'e~f',
      'g\\h',
      'i&j',
      'line one\rline two\nthree',
      '""',
      'M\u00fcller',
    ];
    const message = buildHl7Message([
      MSH,
      EVN,
      {
        id: 'PID',
        fields: {
          1: '1',
          3: { repetitions: [['MRN-1', '', '', ['AUTH', '1.2.3', 'ISO']], ['MRN-2']] },
          5: values.map((value) => value),
        },
      },
      PV1,
    ]);

    expect(message.getEncoded('PID-5')).toBe(
      'a\\F\\b^c\\S\\d^e\\R\\f^g\\E\\h^i\\T\\j^line one\\X0D\\line two\\X0A\\three^\\X22\\\\X22\\^M\u00fcller',
    );
    values.forEach((value, index) => expect(message.get(`PID-5.${index + 1}`)).toBe(value));
    expect(message.get('PID-3[1].4.2')).toBe('1.2.3');
    expect(message.getAll('PID-3.1')).toEqual(['MRN-1', 'MRN-2']);
    expect(message.get('MSH-9.3')).toBe('ADT_A01');
  });

  it('writes the HL7 null, empty values and trailing empty fields', () => {
    const message = buildHl7Message([
      MSH,
      EVN,
      { id: 'PID', fields: { 1: '1', 5: [null, '', undefined, 'X'], 7: null, 9: '' } },
      PV1,
    ]);

    expect(message.segment('PID')?.text).toBe('PID|1||||""^^^X||""||');
    expect(message.get('PID-5.1')).toBeNull();
    expect(message.get('PID-5.2')).toBeUndefined();
    expect(message.get('PID-7')).toBeNull();
    expect(message.segment('PID')?.fieldCount).toBe(9);
  });

  it.each([
    {
      case: 'custom',
      delimiters: CUSTOM,
      msh: 'MSH:-+?*:APP:FAC:::20240102::ADT-A08-ADT_A01:CTRL?S?2:P:2.5',
    },
    {
      case: 'with truncation',
      delimiters: { ...STANDARD_DELIMITERS, truncation: '#' },
      msh: 'MSH|^~\\&#|APP|FAC|||20240102||ADT^A08^ADT_A01|CTRL-2|P|2.5',
    },
    {
      case: 'without escape',
      delimiters: NO_ESCAPE,
      msh: 'MSH|^~|APP|FAC|||20240102||ADT^A08^ADT_A01|CTRL-2|P|2.5',
    },
  ])('writes MSH-1 and MSH-2 from $case delimiters', ({ delimiters, msh }) => {
    const message = buildHl7Message([MSH, EVN, { id: 'PID', fields: { 1: '1' } }, PV1], {
      delimiters,
    });

    expect(message.header.text).toBe(msh);
    expect(message.delimiters).toEqual(delimiters);
    expect(message.get('MSH-10')).toBe('CTRL-2');
    expect(encodeHl7Message(message)).toBe(
      `${msh}\rEVN${delimiters.field}A08\rPID${delimiters.field}1\rPV1${delimiters.field}1${delimiters.field}O\r`,
    );
  });

  it.each([
    { case: 'no MSH first', segments: [EVN], message: 'a message must start with an MSH segment' },
    {
      case: 'lower-case id',
      segments: [MSH, { id: 'pid', fields: {} }],
      message: 'a segment id must be an upper-case letter and two letters or digits',
    },
    {
      case: 'field 0',
      segments: [MSH, { id: 'PID', fields: { 0: 'x' } }],
      message: 'PID has no field 0 to set: fields are numbered from 1',
    },
    {
      case: 'MSH-2 given',
      segments: [{ id: 'MSH', fields: { 2: '^~\\&' } }],
      message: 'MSH has no field 2 to set: fields are numbered from 3',
    },
    {
      case: 'fractional field number',
      segments: [MSH, { id: 'PID', fields: { 1.5: 'x' } }],
      message: 'PID has no field 1.5 to set',
    },
  ])('rejects $case', ({ segments, message }) => {
    expect(() => buildHl7Message(segments)).toThrow(Hl7EncodeError);
    expect(() => buildHl7Message(segments)).toThrow(message);
  });
});

describe('encodeHl7Field and encodeHl7Segment', () => {
  it.each([
    {
      case: 'subcomponents without a separator',
      value: [['a', 'b']],
      delimiters: NO_ESCAPE,
      message: 'PID-3 has subcomponents but MSH-2 declares no subcomponent separator',
    },
    {
      case: 'delimiter without an escape character',
      value: 'a^b',
      delimiters: NO_ESCAPE,
      message:
        'PID-3 contains a delimiter, a line break or two double quotes, and MSH-2 declares no escape character',
    },
    {
      case: 'line break without an escape character',
      value: 'a\nb',
      delimiters: NO_ESCAPE,
      message: 'PID-3 contains a delimiter',
    },
    {
      case: 'escape without subcomponent gap',
      value: 'x',
      delimiters: { ...STANDARD_DELIMITERS, escape: undefined },
      message: 'the delimiters leave a gap',
    },
    {
      case: 'repeated delimiter',
      value: 'x',
      delimiters: { ...STANDARD_DELIMITERS, component: '~' },
      message: 'the delimiters are invalid: MSH-2 repeats a character',
    },
    {
      case: 'double quote as delimiter',
      value: 'x',
      delimiters: { ...STANDARD_DELIMITERS, subcomponent: '"' },
      message: 'a double quote cannot be a delimiter',
    },
  ])('rejects $case', ({ value, delimiters, message }) => {
    const encode = (): string => encodeHl7Segment({ id: 'PID', fields: { 3: value } }, delimiters);

    expect(encode).toThrow(Hl7EncodeError);
    expect(encode).toThrow(message);
  });

  it('never names the value in an error', () => {
    expect(() => encodeHl7Field('SECRET^NAME', NO_ESCAPE, 'PID-5')).toThrow(
      /^PID-5 contains a delimiter, a line break or two double quotes, and MSH-2 declares no escape character$/,
    );
  });

  it('encodes plain values without an escape character', () => {
    expect(encodeHl7Field({ repetitions: [['a', 'b'], 'c'] }, NO_ESCAPE)).toBe('a^b~c');
    expect(encodeHl7Field('C:\\TEMP', NO_ESCAPE)).toBe('C:\\TEMP');
  });
});
