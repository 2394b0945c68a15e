// Real: messages from the shared public HL7 v2 test set, parsed by @carelake/hl7v2, and the ACKs built for them. Faked: the ACK control id and time.
import { parseHl7Message, type Hl7Message } from '@carelake/hl7v2';
import {
  buildAck,
  FALLBACK_PROCESSING_ID,
  FALLBACK_VERSION_ID,
  formatHl7Timestamp,
} from './ack-builder';
import { readHl7Fixture } from './__fixtures__/testdata';

const CREATED_AT = new Date('2026-01-02T03:04:05.678Z');

function parseFixture(name: string): Hl7Message {
  return parseHl7Message(readHl7Fixture(name)).message;
}

function parseAck(text: string): Hl7Message {
  return parseHl7Message(text, { mode: 'strict' }).message;
}

describe('buildAck', () => {
  const original = parseFixture('adt_a04_classic_mcm_01.hl7');
  const ackText = buildAck({
    originalHeader: original.header,
    code: 'AA',
    controlId: 'ACK-0001',
    createdAt: CREATED_AT,
  });
  const ack = parseAck(ackText);

  it.each([
    { case: 'MSH-1 field separator', path: 'MSH-1', expected: '|' },
    { case: 'MSH-2 encoding characters', path: 'MSH-2', expected: '^~\\&' },
    { case: 'MSH-3 from original MSH-5', path: 'MSH-3', expected: 'LABADT' },
    { case: 'MSH-4 from original MSH-6', path: 'MSH-4', expected: 'MCM' },
    { case: 'MSH-5 from original MSH-3', path: 'MSH-5', expected: 'ADT1' },
    { case: 'MSH-6 from original MSH-4', path: 'MSH-6', expected: 'MCM' },
    { case: 'MSH-7 from the clock', path: 'MSH-7', expected: '20260102030405+0000' },
    { case: 'MSH-9.1 message code', path: 'MSH-9.1', expected: 'ACK' },
    { case: 'MSH-9.2 original trigger', path: 'MSH-9.2', expected: 'A04' },
    { case: 'MSH-9.3 message structure', path: 'MSH-9.3', expected: 'ACK' },
    { case: 'MSH-10 new control id', path: 'MSH-10', expected: 'ACK-0001' },
    { case: 'MSH-11 copied', path: 'MSH-11', expected: 'P' },
    { case: 'MSH-12 copied', path: 'MSH-12', expected: '2.4' },
    { case: 'MSH-15 empty', path: 'MSH-15', expected: undefined },
    { case: 'MSH-16 empty', path: 'MSH-16', expected: undefined },
    { case: 'MSA-1 code', path: 'MSA-1', expected: 'AA' },
    { case: 'MSA-2 original control id', path: 'MSA-2', expected: 'MSG00001' },
  ])('classic ADT^A04 ACK $case', ({ path, expected }) => {
    expect(ack.get(path)).toBe(expected);
  });

  it('classic ADT^A04 ACK has MSH and MSA only', () => {
    expect(ack.segments.map((segment) => segment.id)).toEqual(['MSH', 'MSA']);
    expect(ackText.endsWith('\r')).toBe(true);
    expect(ackText.split('\r')).toHaveLength(3);
  });

  it.each([
    { case: 'oru_r01_elr_msh2_truncation_char_01.hl7' },
    { case: 'adt_a08_escaped_msh5_01.hl7' },
    { case: 'adt_a01_wikipedia_tz_01.hl7' },
    { case: 'vxu_v04_nist_iz_01.hl7' },
  ])('swaps encoded sender and receiver in $case', ({ case: name }) => {
    const message = parseFixture(name);

    const reply = parseAck(
      buildAck({
        originalHeader: message.header,
        code: 'CA',
        controlId: 'C1',
        createdAt: CREATED_AT,
      }),
    );

    expect(reply.getEncoded('MSH-2')).toBe(message.getEncoded('MSH-2'));
    expect(reply.getEncoded('MSH-3')).toBe(message.getEncoded('MSH-5'));
    expect(reply.getEncoded('MSH-4')).toBe(message.getEncoded('MSH-6'));
    expect(reply.getEncoded('MSH-5')).toBe(message.getEncoded('MSH-3'));
    expect(reply.getEncoded('MSH-6')).toBe(message.getEncoded('MSH-4'));
    expect(reply.getEncoded('MSH-11')).toBe(message.getEncoded('MSH-11'));
    expect(reply.getEncoded('MSH-12')).toBe(message.getEncoded('MSH-12'));
    expect(reply.get('MSH-9.2')).toBe(message.get('MSH-9.2'));
    expect(reply.getEncoded('MSA-2')).toBe(message.getEncoded('MSH-10'));
  });

  it('keeps the truncation character in MSH-2', () => {
    const message = parseFixture('oru_r01_elr_msh2_truncation_char_01.hl7');

    const text = buildAck({
      originalHeader: message.header,
      code: 'AA',
      controlId: 'C1',
      createdAt: CREATED_AT,
    });

    expect(text.startsWith('MSH|^~\\&#|RCVING APPLICAT^')).toBe(true);
  });

  it('uses custom delimiters of the original', () => {
    const message = parseFixture('custom_delims_colon_dash_plus_01.hl7');

    const text = buildAck({
      originalHeader: message.header,
      code: 'AE',
      controlId: 'C1',
      createdAt: CREATED_AT,
      errors: [{ code: 207, severity: 'E' }],
    });

    expect(text.split('\r')[0]).toBe(
      'MSH:-+?*:field4repeat1+field4repeat2:field5subcomponent1*field5subcomponent2:field2:field3component1-field3component2:20260102030405+0000::ACK--ACK:C1::',
    );
    expect(text.split('\r')[2]).toBe('ERR:::207-Application internal error-HL70357:E');
  });

  it('writes ERR with location, code and severity', () => {
    const text = buildAck({
      originalHeader: original.header,
      code: 'AE',
      controlId: 'ACK-0002',
      createdAt: CREATED_AT,
      errors: [
        {
          code: 101,
          severity: 'E',
          location: { segmentId: 'PID', sequence: 1, field: 3, repetition: 1, component: 1 },
        },
      ],
    });
    const reply = parseAck(text);

    expect(reply.get('MSA-1')).toBe('AE');
    expect(reply.getEncoded('ERR-2')).toBe('PID^1^3^1^1');
    expect(reply.getEncoded('ERR-3')).toBe('101^Required field missing^HL70357');
    expect(reply.get('ERR-4')).toBe('E');
    expect(reply.get('ERR-1')).toBeUndefined();
  });

  it('ERR never carries field values', () => {
    const text = buildAck({
      originalHeader: original.header,
      code: 'AR',
      controlId: 'ACK-0003',
      createdAt: CREATED_AT,
      errors: [{ code: 102, severity: 'E', location: { segmentId: 'PID', sequence: 1, field: 5 } }],
    });

    for (const value of ['JONES', 'WILLIAM', 'PATID1234', '19610615', 'GREENSBORO']) {
      expect(text).not.toContain(value);
    }
  });

  it('writes one ERR per error in order', () => {
    const reply = parseAck(
      buildAck({
        originalHeader: original.header,
        code: 'AE',
        controlId: 'C',
        createdAt: CREATED_AT,
        errors: [
          { code: 101, severity: 'E', location: { segmentId: 'MSH', sequence: 1, field: 10 } },
          { code: 103, severity: 'W' },
        ],
      }),
    );

    expect(reply.segmentsById('ERR').map((segment) => segment.getEncoded('3.1'))).toEqual([
      '101',
      '103',
    ]);
    expect(reply.segment('ERR', 2)?.get('4')).toBe('W');
    expect(reply.segment('ERR', 2)?.get('2')).toBeUndefined();
  });

  it('without an original header uses fallbacks', () => {
    const reply = parseAck(
      buildAck({ originalHeader: undefined, code: 'AR', controlId: 'C9', createdAt: CREATED_AT }),
    );

    expect(reply.getEncoded('MSH-2')).toBe('^~\\&');
    expect(reply.get('MSH-3')).toBeUndefined();
    expect(reply.get('MSH-5')).toBeUndefined();
    expect(reply.getEncoded('MSH-9')).toBe('ACK^^ACK');
    expect(reply.get('MSH-11')).toBe(FALLBACK_PROCESSING_ID);
    expect(reply.get('MSH-12')).toBe(FALLBACK_VERSION_ID);
    expect(reply.get('MSA-1')).toBe('AR');
    expect(reply.get('MSA-2')).toBeUndefined();
  });
});

describe('formatHl7Timestamp', () => {
  it.each([
    { case: 'UTC instant', date: '2026-01-02T03:04:05.678Z', expected: '20260102030405+0000' },
    {
      case: 'offset converted to UTC',
      date: '2024-02-29T23:30:00-02:00',
      expected: '20240301013000+0000',
    },
  ])('$case', ({ date, expected }) => {
    expect(formatHl7Timestamp(new Date(date))).toBe(expected);
  });
});
