// Real: partition keys computed from HL7 v2 and FHIR bytes; nothing is faked. The messages carry no real person's data.
import { partitionKeyOf } from './partition-keys';
import { formatOfRecord } from './stream-record';

function adt(controlId: string, mrn: string): Uint8Array {
  return Buffer.from(
    `MSH|^~\\&|SEND|FAC|RECV|RFAC|20260304050607||ADT^A08|${controlId}|P|2.5.1\rPID|1||${mrn}^^^HOSP^MR||TESTPATIENT^ALEX\r`,
  );
}

describe('formatOfRecord', () => {
  it.each([
    { case: 'an HL7 v2 message', data: 'MSH|^~\\&|A', expected: 'hl7v2' },
    { case: 'an HL7 v2 batch', data: 'BHS|^~\\&|A', expected: 'hl7v2' },
    { case: 'a message after a byte-order mark', data: '\uFEFFMSH|^~\\&|A', expected: 'hl7v2' },
    {
      case: 'a FHIR resource after white space',
      data: '\n  {"resourceType":"Patient"}',
      expected: 'fhir',
    },
    { case: 'plain text', data: 'hello', expected: undefined },
    { case: 'no bytes', data: '', expected: undefined },
  ])('reads $case', ({ data, expected }) => {
    expect(formatOfRecord(Buffer.from(data, 'utf8'))).toBe(expected);
  });
});

describe('partitionKeyOf', () => {
  it('gives one patient the same key in every message', () => {
    expect(partitionKeyOf(adt('CTL-1', 'MRN7'))).toBe(partitionKeyOf(adt('CTL-2', 'MRN7')));
  });

  it('gives two patients different keys', () => {
    expect(partitionKeyOf(adt('CTL-1', 'MRN7'))).not.toBe(partitionKeyOf(adt('CTL-1', 'MRN8')));
  });

  it('keeps the patient id out of the key', () => {
    const key = partitionKeyOf(adt('CTL-1', 'MRN7'));

    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain('MRN7');
  });

  it('gives versions of one FHIR resource the same key', () => {
    const first = Buffer.from('{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}}');
    const second = Buffer.from('{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"}}');

    expect(partitionKeyOf(first)).toBe(partitionKeyOf(second));
  });

  it('reduces keys to the key count', () => {
    const keys = new Set(
      Array.from({ length: 200 }, (_, index) =>
        partitionKeyOf(adt(`CTL-${index}`, `MRN${index}`), 4),
      ),
    );

    expect([...keys].sort()).toEqual(['key-0', 'key-1', 'key-2', 'key-3']);
  });
});
