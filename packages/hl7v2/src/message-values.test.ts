// Real: the parser and the path API over inline synthetic messages (no real person).
// Faked: nothing.
import type { Hl7Message } from './message';
import { parseHl7File, parseHl7Message } from './parse-file';

/** Build an ADT^A08 with the given MSH-2 and field separator, and the PID fields after PID-2. */
function adt(encoding: string, pidFields: string, field = '|'): string {
  const msh = [
    'MSH',
    encoding,
    'APP',
    'FAC',
    '',
    '',
    '20240102',
    '',
    'ADT^A08^ADT_A01',
    'CTRL5',
    'P',
    '2.5',
  ]
    .join(field)
    .replace(/\^/g, encoding.charAt(0));
  return (
    [msh, `EVN${field}A08`, `PID${field}1${field}${field}${pidFields}`, `PV1${field}1`].join('\r') +
    '\r'
  );
}

function parseOne(text: string): Hl7Message {
  return parseHl7Message(text).message;
}

describe('values at every depth', () => {
  const message = parseOne(
    adt(
      '^~\\&',
      'A1^^^AUTH&1.2.3&ISO^MR~B2^^^OTHER^PI||DOE\\S\\SMITH^JANE^""~^ALIAS||""|^|dir\\E\\^x\\E\\|\\T\\&\\F\\|||',
    ),
  );

  it.each([
    {
      case: 'component of a repeated field reads the first repetition',
      path: 'PID-3.1',
      expected: 'A1',
    },
    { case: 'component past the first repetition stays in it', path: 'PID-3.5', expected: 'MR' },
    { case: 'subcomponent of the first repetition', path: 'PID-3.4.2', expected: '1.2.3' },
    { case: 'named repetition', path: 'PID-3[2].5', expected: 'PI' },
    { case: 'escape at the field level', path: 'PID-5', expected: 'DOE^SMITH' },
    { case: 'escape at the component level', path: 'PID-5.1', expected: 'DOE^SMITH' },
    { case: 'escape at the subcomponent level', path: 'PID-5.1.1', expected: 'DOE^SMITH' },
    { case: 'HL7 null in a component', path: 'PID-5.3', expected: null },
    { case: 'empty component of a second repetition', path: 'PID-5[2].1', expected: undefined },
    { case: 'second repetition component', path: 'PID-5[2].2', expected: 'ALIAS' },
    { case: 'HL7 null field', path: 'PID-7', expected: null },
    { case: 'empty field', path: 'PID-6', expected: undefined },
    { case: 'field of empty components', path: 'PID-8', expected: undefined },
    { case: 'escape at the end of a component', path: 'PID-9.1', expected: 'dir\\' },
    { case: 'escape at the end of a field', path: 'PID-9.2', expected: 'x\\' },
    { case: 'escaped subcomponent separator', path: 'PID-10.1.1', expected: '&' },
    { case: 'escaped field separator after a subcomponent', path: 'PID-10.1.2', expected: '|' },
    { case: 'trailing empty field', path: 'PID-12', expected: undefined },
  ])('$case', ({ path, expected }) => {
    expect(message.get(path)).toBe(expected);
  });

  it('keeps encoded text at the depth asked', () => {
    expect(message.getEncoded('PID-3')).toBe('A1^^^AUTH&1.2.3&ISO^MR~B2^^^OTHER^PI');
    expect(message.getEncoded('PID-3.4')).toBe('AUTH&1.2.3&ISO');
    expect(message.getEncoded('PID-3.5')).toBe('MR');
    expect(message.getEncoded('PID-5.1')).toBe('DOE\\S\\SMITH');
    expect(message.getEncoded('PID-7')).toBe('""');
  });

  it('reads every repetition at any depth', () => {
    expect(message.getAll('PID-3.4.1')).toEqual(['AUTH', 'OTHER']);
    expect(message.getAll('PID-5.3')).toEqual([null, undefined]);
  });

  it('keeps trailing empty fields', () => {
    expect(message.segment('PID')?.fieldCount).toBe(13);
    expect(message.encode()).toBe(
      adt(
        '^~\\&',
        'A1^^^AUTH&1.2.3&ISO^MR~B2^^^OTHER^PI||DOE\\S\\SMITH^JANE^""~^ALIAS||""|^|dir\\E\\^x\\E\\|\\T\\&\\F\\|||',
      ),
    );
  });

  it('renders formatting on request', () => {
    const note = parseOne(adt('^~\\&', 'MRN||LINE ONE\\.br\\LINE TWO\\H\\!\\N\\~A\\.sp\\B'));

    expect(note.get('PID-5')).toBe('LINE ONE\\.br\\LINE TWO\\H\\!\\N\\');
    expect(note.get('PID-5', { formatting: 'render' })).toBe('LINE ONE\nLINE TWO!');
    expect(note.getAll('PID-5', { formatting: 'render' })).toEqual([
      'LINE ONE\nLINE TWO!',
      'A\n\nB',
    ]);
    expect(note.segment('PID')?.get('5[2]', { formatting: 'render' })).toBe('A\n\nB');
  });
});

describe('delimiters a message declares', () => {
  it.each([
    {
      case: 'two characters: no escape, no subcomponents',
      text: adt('^~', 'MRN||C:\\TEMP&CO\\S\\^JANE'),
      path: 'PID-5',
      expected: 'C:\\TEMP&CO\\S\\',
      delimiters: { escape: undefined, subcomponent: undefined, truncation: undefined },
    },
    {
      case: 'three characters: no subcomponents',
      text: adt('^~\\', 'MRN||R&D\\T\\\\S\\^JANE'),
      path: 'PID-5',
      expected: 'R&D\\T\\^',
      delimiters: { escape: '\\', subcomponent: undefined, truncation: undefined },
    },
    {
      case: 'four characters',
      text: adt('^~\\&', 'MRN||R&D^JANE'),
      path: 'PID-5.1.2',
      expected: 'D',
      delimiters: { escape: '\\', subcomponent: '&', truncation: undefined },
    },
    {
      case: 'five characters with truncation',
      text: adt('^~\\&#', 'MRN||LONGNAM#\\P\\^JANE'),
      path: 'PID-5',
      expected: 'LONGNAM##',
      delimiters: { escape: '\\', subcomponent: '&', truncation: '#' },
    },
    {
      case: 'custom field separator',
      text: adt('-+?*', 'MRN::A?S?B-C', ':'),
      path: 'PID-5.2',
      expected: 'C',
      delimiters: { escape: '?', subcomponent: '*', truncation: undefined },
    },
  ])('$case', ({ text, path, expected, delimiters }) => {
    const result = parseHl7File(text);
    const message = result.messages[0];

    expect(result.problems).toEqual([]);
    expect(message?.get(path)).toBe(expected);
    expect(message?.delimiters).toMatchObject(delimiters);
    expect(message?.get('MSH-10')).toBe('CTRL5');
    expect(message?.encode()).toBe(text);
  });
});

describe('message boundaries', () => {
  it.each([
    {
      case: 'MSH_MRN inside PID-3',
      text: adt('^~\\&', '123^^^MSH_MRN~MSH|X'),
      messages: 1,
      pid3: '123^^^MSH_MRN~MSH',
    },
    {
      case: 'MSH_MRN after a line break in a field',
      text: adt('^~\\&', 'A\nMSH_MRN^1'),
      messages: 1,
      pid3: 'A\nMSH_MRN^1',
    },
    {
      case: 'MSH and a separator after a line break',
      text: adt('^~\\&', 'A') + adt('^~\\&', 'B'),
      messages: 2,
      pid3: 'A',
    },
    {
      case: 'MSH in the middle of a line',
      text: adt('^~\\&', 'A MSH|^~\\&|X'),
      messages: 1,
      pid3: 'A MSH',
    },
  ])('$case', ({ text, messages, pid3 }) => {
    const result = parseHl7File(text);

    expect(result.messages).toHaveLength(messages);
    expect(result.messages[0]?.segment('PID')?.getEncoded('3')).toBe(pid3);
    expect(result.messages[0]?.segments.map((segment) => segment.id)).toEqual([
      'MSH',
      'EVN',
      'PID',
      'PV1',
    ]);
  });
});
