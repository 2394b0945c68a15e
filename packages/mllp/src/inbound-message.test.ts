// Real: the HL7 v2 parser on fixture and hand-broken messages. Faked: nothing.
import {
  errorCodeForParseProblem,
  locationFromPosition,
  readHeaderSegment,
  readInboundMessage,
} from './inbound-message';
import { readHl7Fixture } from './__fixtures__/testdata';

const encoder = new TextEncoder();

describe('readInboundMessage', () => {
  it('reads header and control id of a fixture', () => {
    const inbound = readInboundMessage(readHl7Fixture('adt_a04_classic_mcm_01.hl7'), 'lenient');

    expect(inbound.parseError).toBeUndefined();
    expect(inbound.controlId).toBe('MSG00001');
    expect(inbound.header?.get('9.2')).toBe('A04');
  });

  it.each([
    {
      case: 'invalid MSH-2',
      text: 'MSH|^^|A|B|C|D|20240101||ADT^A01|X1|P|2.5\rPID|1\r',
      problem: 'invalid-encoding-characters',
      ackError: { code: 102, severity: 'E', location: { segmentId: 'MSH', sequence: 1, field: 2 } },
      controlId: undefined,
    },
    {
      case: 'no MSH',
      text: 'PID|1||X\r',
      problem: 'missing-message-header',
      ackError: { code: 100, severity: 'E', location: { segmentId: 'PID', sequence: 1 } },
      controlId: undefined,
    },
    {
      case: 'two messages in one frame',
      text: 'MSH|^~\\&|A|B|C|D|20240101||ADT^A01|X1|P|2.5\rMSH|^~\\&|A|B|C|D|20240101||ADT^A01|X2|P|2.5\r',
      problem: 'not-one-message',
      ackError: { code: 100, severity: 'E' },
      controlId: 'X1',
    },
  ])('reports $case', ({ text, problem, ackError, controlId }) => {
    const inbound = readInboundMessage(encoder.encode(text), 'lenient');

    expect(inbound.parseError?.code).toBe(problem);
    expect(inbound.parseError?.ackError).toEqual(ackError);
    expect(inbound.controlId).toBe(controlId);
  });

  it('strict mode rejects a missing MSH-10 as 101', () => {
    const inbound = readInboundMessage(
      encoder.encode('MSH|^~\\&|A|B|C|D|20240101||ADT^A01||P|2.5\r'),
      'strict',
    );

    expect(inbound.parseError?.ackError).toEqual({
      code: 101,
      severity: 'E',
      location: { segmentId: 'MSH', sequence: 1, field: 10 },
    });
  });
});

describe('readHeaderSegment', () => {
  it.each([
    { case: 'CR terminated', text: 'MSH|^~\\&|APP|FAC\rPID', expected: 'APP' },
    { case: 'LF terminated', text: 'MSH|^~\\&|APP|FAC\nPID', expected: 'APP' },
    { case: 'byte order mark', text: '\uFEFFMSH|^~\\&|APP|FAC\r', expected: 'APP' },
    { case: 'no terminator', text: 'MSH|^~\\&|APP', expected: 'APP' },
  ])('reads MSH-3 with $case', ({ text, expected }) => {
    expect(readHeaderSegment(encoder.encode(text))?.get('3')).toBe(expected);
  });

  it.each([
    { case: 'another segment first', text: 'PID|1\rMSH|^~\\&|APP\r' },
    { case: 'invalid delimiters', text: 'MSH|^\r' },
    { case: 'empty input', text: '' },
  ])('returns undefined for $case', ({ text }) => {
    expect(readHeaderSegment(encoder.encode(text))).toBeUndefined();
  });
});

describe('locationFromPosition', () => {
  it.each([
    {
      case: 'segment and field',
      position: { segment: 'OBX[3]', field: 'OBX-5' },
      expected: { segmentId: 'OBX', sequence: 3, field: 5 },
    },
    {
      case: 'field only',
      position: { field: 'PID-3[2].1' },
      expected: { segmentId: 'PID', sequence: 1, field: 3, repetition: 2, component: 1 },
    },
    {
      case: 'segment only',
      position: { segment: 'NK1[2]' },
      expected: { segmentId: 'NK1', sequence: 2 },
    },
    { case: 'FHIR path', position: { field: 'Observation.code' }, expected: undefined },
    { case: 'no segment', position: { line: 4 }, expected: undefined },
  ])('$case', ({ position, expected }) => {
    expect(locationFromPosition(position)).toEqual(expected);
  });
});

describe('errorCodeForParseProblem', () => {
  it.each([
    { case: 'missing-required-field', expected: 101 },
    { case: 'invalid-encoding-characters', expected: 102 },
    { case: 'unsupported-charset', expected: 102 },
    { case: 'missing-message-header', expected: 100 },
    { case: 'empty-input', expected: 100 },
  ] as const)('$case', ({ case: code, expected }) => {
    expect(errorCodeForParseProblem(code)).toBe(expected);
  });
});
