// Real: the parser over inline synthetic messages (no real person) of several message types.
// Faked: nothing.
import { parseHl7File } from './parse-file';

function header(type: string, version = '2.5.1'): string {
  return `MSH|^~\\&|APP|FAC|||20240102||${type}|CTRL-3|P|${version}`;
}

function parse(...segments: string[]): ReturnType<typeof parseHl7File> {
  return parseHl7File(segments.join('\r') + '\r');
}

describe('message structure', () => {
  it.each([
    {
      case: 'complete ADT_A01',
      segments: [header('ADT^A01^ADT_A01'), 'EVN|A01', 'PID|1', 'PV1|1'],
      warnings: [],
    },
    {
      case: 'Z segment anywhere',
      segments: [header('ADT^A04'), 'ZPI|x', 'EVN|A04', 'PID|1', 'ZPV|y', 'PV1|1'],
      warnings: [],
    },
    {
      case: 'ORU with TXA and a patient OBX',
      segments: [
        header('ORU^R01^ORU_R01'),
        'PID|1',
        'OBX|1',
        'ORC|RE',
        'TXA|1',
        'OBR|1',
        'OBX|2',
        'SPM|1',
      ],
      warnings: [],
    },
    {
      case: 'unknown message type is not checked',
      segments: [header('ZZZ^Z01'), 'RXA|1'],
      warnings: [],
    },
    {
      case: 'ACK with its MSA',
      segments: [header('ACK^A01^ACK'), 'MSA|AA|C1'],
      warnings: [],
    },
    {
      case: 'missing EVN and PV1',
      segments: [header('ADT^A08'), 'PID|1'],
      warnings: [
        [
          'missing-segment',
          undefined,
          'the ADT_A01 message structure requires the EVN segment, which is missing',
        ],
        [
          'missing-segment',
          undefined,
          'the ADT_A01 message structure requires the PV1 segment, which is missing',
        ],
      ],
    },
    {
      case: 'PID before EVN',
      segments: [header('ADT^A01'), 'PID|1', 'EVN|A01', 'PV1|1'],
      warnings: [
        [
          'segment-out-of-order',
          2,
          'PID (segment 1) comes before EVN (segment 2), which the ADT_A01 message structure puts first',
        ],
      ],
    },
    {
      case: 'RXA in an ADT',
      segments: [header('ADT^A01'), 'EVN|A01', 'PID|1', 'PV1|1', 'RXA|0|1'],
      warnings: [
        [
          'unexpected-segment',
          5,
          'RXA (segment 4) is not part of the ADT_A01 message structure; it is kept as read',
        ],
      ],
    },
    {
      case: 'unknown segment id',
      segments: [header('ADT^A01'), 'EVN|A01', 'PID|1', 'XYZ|1', 'PV1|1'],
      warnings: [
        [
          'unknown-segment',
          4,
          'segment 3 has the id XYZ, which is neither an HL7 v2 segment nor a Z segment; it is kept as read',
        ],
      ],
    },
    {
      case: 'unknown version',
      segments: [header('ADT^A01', '3.0'), 'EVN|A01', 'PID|1', 'PV1|1'],
      warnings: [
        [
          'unknown-version',
          1,
          'MSH-12 names no known HL7 v2 version; the message is parsed generically',
        ],
      ],
    },
    {
      case: 'structure from MSH-9.3 wins over the event',
      segments: [header('ADT^A01^ACK'), 'MSA|AA|C1'],
      warnings: [],
    },
  ])('$case', ({ segments, warnings }) => {
    const result = parse(...segments);
    const message = result.messages[0];

    expect(result.problems).toEqual([]);
    expect(
      result.warnings.map((warning) => [warning.code, warning.position.line, warning.reason]),
    ).toEqual(warnings.map(([code, line, reason]) => [code, line ?? 1, `message 0: ${reason}`]));
    // Every segment stays in place, whatever the findings.
    expect(message?.segments.map((segment) => segment.text)).toEqual(segments);
  });

  it('positions a finding on its segment', () => {
    const result = parse(header('ADT^A01'), 'EVN|A01', 'PID|1', 'PV1|1', 'ZPV|1', 'RXA|0|1');

    expect(result.warnings[0]?.position).toEqual({
      line: 6,
      record: 0,
      controlId: 'CTRL-3',
      segment: 'RXA',
      segmentIndex: 5,
    });
  });
});
