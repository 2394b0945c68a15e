// Real: the path parser and segment accessors over inline synthetic segments.
// Faked: nothing.
import { CarelakeError } from '@carelake/core';
import { STANDARD_DELIMITERS } from './delimiters';
import { Hl7PathError } from './errors';
import { parseHl7Path } from './path';
import { Hl7Segment } from './segment';

function segment(text: string): Hl7Segment {
  return new Hl7Segment({
    text,
    delimiters: STANDARD_DELIMITERS,
    index: 0,
    occurrence: 1,
    line: 1,
  });
}

describe('parseHl7Path', () => {
  it.each([
    {
      case: 'field',
      path: 'PID-5',
      expected: {
        segmentId: 'PID',
        occurrence: 1,
        field: 5,
        repetition: undefined,
        component: undefined,
        subcomponent: undefined,
      },
    },
    {
      case: 'component',
      path: 'PID-5.1',
      expected: {
        segmentId: 'PID',
        occurrence: 1,
        field: 5,
        repetition: undefined,
        component: 1,
        subcomponent: undefined,
      },
    },
    {
      case: 'repetition and subcomponent',
      path: 'PID-3[2].4.1',
      expected: {
        segmentId: 'PID',
        occurrence: 1,
        field: 3,
        repetition: 2,
        component: 4,
        subcomponent: 1,
      },
    },
    {
      case: 'occurrence in brackets',
      path: 'OBX[2]-5',
      expected: {
        segmentId: 'OBX',
        occurrence: 2,
        field: 5,
        repetition: undefined,
        component: undefined,
        subcomponent: undefined,
      },
    },
    {
      case: 'occurrence in parentheses',
      path: 'OBX(12)-5.2',
      expected: {
        segmentId: 'OBX',
        occurrence: 12,
        field: 5,
        repetition: undefined,
        component: 2,
        subcomponent: undefined,
      },
    },
    {
      case: 'Z-segment',
      path: 'ZPI-1',
      expected: {
        segmentId: 'ZPI',
        occurrence: 1,
        field: 1,
        repetition: undefined,
        component: undefined,
        subcomponent: undefined,
      },
    },
  ])('$case', ({ path, expected }) => {
    expect(parseHl7Path(path)).toEqual(expected);
  });

  it.each([
    { case: 'field 0', path: 'PID-0' },
    { case: 'lower-case id', path: 'pid-5' },
    { case: 'missing field', path: 'PID' },
    { case: 'dot after the id', path: 'PID.5' },
    { case: 'repetition 0', path: 'PID-3[0]' },
    { case: 'too deep', path: 'PID-5.1.1.1' },
  ])('rejects $case', ({ path }) => {
    expect(() => parseHl7Path(path)).toThrow(Hl7PathError);
    expect(() => parseHl7Path(path)).toThrow(CarelakeError);
  });
});

describe('Hl7Segment accessors', () => {
  const pid = segment('PID|1||A1^^^AUTH&1.2&ISO^MR~B2^^^OTHER||DOE^JANE^Q|""|^first&second|\\F\\|');

  it.each([
    { case: 'first component by default', path: '5', expected: 'DOE' },
    { case: 'second component', path: '5.2', expected: 'JANE' },
    { case: 'first subcomponent by default', path: '3.4', expected: 'AUTH' },
    { case: 'second subcomponent', path: '3.4.2', expected: '1.2' },
    { case: 'second repetition', path: '3[2].1', expected: 'B2' },
    { case: 'HL7 null', path: '6', expected: null },
    { case: 'component of an HL7 null', path: '6.2', expected: undefined },
    { case: 'empty field', path: '2', expected: undefined },
    { case: 'field past the end', path: '40', expected: undefined },
    { case: 'empty first component', path: '7', expected: undefined },
    { case: 'subcomponent in second component', path: '7.2.2', expected: 'second' },
    { case: 'escaped field separator', path: '8', expected: '|' },
  ])('get $case', ({ path, expected }) => {
    expect(pid.get(path)).toBe(expected);
  });

  it('returns encoded text at the precision asked', () => {
    expect(pid.getEncoded('3')).toBe('A1^^^AUTH&1.2&ISO^MR~B2^^^OTHER');
    expect(pid.getEncoded('3[2]')).toBe('B2^^^OTHER');
    expect(pid.getEncoded('3.4')).toBe('AUTH&1.2&ISO');
    expect(pid.getEncoded('6')).toBe('""');
    expect(pid.getEncoded('8')).toBe('\\F\\');
  });

  it('lists repetitions with getAll', () => {
    expect(pid.getAll('3.4')).toEqual(['AUTH', 'OTHER']);
    expect(pid.getAll('2')).toEqual([]);
    expect(pid.fieldCount).toBe(9);
  });

  it('numbers MSH fields from the field separator', () => {
    const msh = segment('MSH|^~\\&|APP|FAC|||20240102||ADT^A01|CTRL|P|2.5');

    expect(msh.get('1')).toBe('|');
    expect(msh.get('2')).toBe('^~\\&');
    expect(msh.get('2.2')).toBeUndefined();
    expect(msh.get('3')).toBe('APP');
    expect(msh.get('9.2')).toBe('A01');
    expect(msh.get('12')).toBe('2.5');
    expect(msh.getAll('1')).toEqual(['|']);
  });

  it('labels later occurrences with their number', () => {
    const obx = new Hl7Segment({
      text: 'OBX|3',
      delimiters: STANDARD_DELIMITERS,
      index: 7,
      occurrence: 3,
      line: 8,
    });

    expect(obx.label).toBe('OBX[3]');
    expect(segment('PID|1').label).toBe('PID');
  });
});
