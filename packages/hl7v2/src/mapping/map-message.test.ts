// Real: shared HL7 v2 test files, synthetic messages, the raw dataset file. Faked: nothing.
import { canonicalJson, sha256Hex } from '@carelake/core';
import { listHl7Fixtures, readHl7Fixture } from '../__fixtures__/testdata';
import { parseHl7File } from '../parse-file';
import {
  ADT_SEGMENTS,
  compileInline,
  INGESTED_AT,
  mapInline,
  mappingText,
} from './__fixtures__/inline-mapping';
import { loadRepositoryDatasets } from './__fixtures__/repository-files';
import { ControlIdRegistry } from './control-id-registry';
import { mapHl7Message } from './map-message';

const SEGMENT_COLUMNS = Object.keys(
  loadRepositoryDatasets().get('raw.hl7v2_segments')?.columns ?? {},
).sort();
const NO_TABLES = compileInline(
  mappingText(['messages: [ZZZ]', 'each: message'], { x: '{ value: 1 }' }),
);

describe('mapHl7Message raw segments', () => {
  it.each(listHl7Fixtures().map((name) => ({ case: name })))(
    'keep every segment of $case',
    ({ case: name }) => {
      for (const message of parseHl7File(readHl7Fixture(name), { file: name }).messages) {
        const mapped = mapHl7Message(message, { sourceFile: name, ingestedAt: INGESTED_AT });

        expect(mapped.segments.map((row) => row.segment_text)).toEqual(
          message.segments.map((segment) => segment.text),
        );
        for (const row of mapped.segments) expect(Object.keys(row).sort()).toEqual(SEGMENT_COLUMNS);
        expect(mapped.tables.size).toBe(0);
      }
    },
  );

  it('fill the MSH columns', () => {
    const { segments } = mapInline(NO_TABLES, [
      'MSH|^~\\&|APP^1.2^ISO|FAC|||20240102||ORU^R01^ORU_R01|C-9|P|2.5.1',
      'EVN|A08',
    ]);

    expect(segments[1]).toEqual({
      message_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      message_control_id: 'C-9',
      message_code: 'ORU',
      trigger_event: 'R01',
      sending_application: 'APP',
      sending_facility: 'FAC',
      version_id: '2.5.1',
      segment_index: 1,
      segment_id: 'EVN',
      segment_text: 'EVN|A08',
      record_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      source_file: 'landing/hl7/inline.hl7',
      source_position: 0,
      ingested_at: INGESTED_AT,
    });
  });

  it('keep MSH-9.2 as sent in trigger_event, without the EVN-1 fallback', () => {
    const { segments } = mapInline(NO_TABLES, [
      'MSH|^~\\&|APP|FAC|||20240102||ADT|C-9|P|2.3',
      'EVN|A08',
    ]);

    expect(segments.map((row) => [row.message_code, row.trigger_event])).toEqual([
      ['ADT', null],
      ['ADT', null],
    ]);
  });

  it('use unknown for a missing message code', () => {
    const { segments } = mapInline(NO_TABLES, ['MSH|^~\\&|APP', 'OBX|1|ST|x||text']);

    expect(segments.map((row) => row.message_code)).toEqual(['unknown', 'unknown']);
  });
});

describe('mapHl7Message record hashes', () => {
  const base = [...ADT_SEGMENTS, 'OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F'];
  const hashes = (segments: readonly string[]): string[] =>
    mapInline(NO_TABLES, segments).segments.map((row) => row.record_hash);

  it('are equal for the same message sent twice, whatever its terminators', () => {
    const [message] = parseHl7File(base.join('\r\n') + '\r\n').messages;
    const viaCrLf = message
      ? mapHl7Message(message, { sourceFile: 'x', ingestedAt: INGESTED_AT }).segments
      : [];

    expect(viaCrLf.map((row) => row.record_hash)).toEqual(hashes(base));
  });

  it('differ for a reused control id with other content', () => {
    const before = hashes(base);
    const after = hashes(base.map((segment) => segment.replace('||72|', '||73|')));

    expect(after.filter((hash) => before.includes(hash))).toEqual([]);
  });

  it('hash the canonical JSON of the message identity and segment index', () => {
    const { segments } = mapInline(NO_TABLES, base);
    const identity = {
      source_system: 'ADMIT^NORTH',
      message_control_id: 'CTRL-1',
      message_hash: segments[0]?.message_hash,
    };

    expect(segments.map((row) => row.record_hash)).toEqual(
      segments.map((_, index) => sha256Hex(canonicalJson({ ...identity, segment_index: index }))),
    );
  });

  it('are distinct within a message', () => {
    const all = hashes(base);

    expect(new Set(all).size).toBe(all.length);
  });
});

describe('mapHl7Message control ids', () => {
  const first = ADT_SEGMENTS;
  const changed = ADT_SEGMENTS.map((segment) => segment.replace('TESTER^ALEX', 'TESTER^ALEXIS'));

  it('warns about a control id reused with other content, naming positions only', () => {
    const registry = new ControlIdRegistry();
    mapInline(NO_TABLES, first, registry);
    const { warnings } = mapInline(NO_TABLES, changed, registry);

    expect(warnings).toEqual([
      {
        code: 'control-id-reused',
        reason:
          'message 0: MSH-10 repeats the control id of message 0 of this file from the same sending application and facility, with other content; both messages are kept',
        position: {
          file: 'landing/hl7/inline.hl7',
          record: 0,
          line: 1,
          segment: 'MSH',
          field: 'MSH-10',
        },
      },
    ]);
    expect(warnings[0]?.reason).not.toContain('CTRL-1');
  });

  it('names the first file when the control id came in another one', () => {
    const registry = new ControlIdRegistry();
    const [message] = parseHl7File(first.join('\r')).messages;
    if (message)
      mapHl7Message(message, {
        sourceFile: 'landing/hl7/earlier.hl7',
        ingestedAt: INGESTED_AT,
        controlIds: registry,
      });

    expect(mapInline(NO_TABLES, changed, registry).warnings[0]?.reason).toContain(
      'message 0 of landing/hl7/earlier.hl7',
    );
  });

  it.each([
    { case: 'a resend', second: first },
    {
      case: 'another sender',
      second: changed.map((segment) => segment.replace('|ADMIT|NORTH|', '|ADMIT|SOUTH|')),
    },
    { case: 'no control id', second: changed.map((segment) => segment.replace('|CTRL-1|', '||')) },
  ])('does not warn about $case', ({ second }) => {
    const registry = new ControlIdRegistry();
    mapInline(NO_TABLES, first, registry);

    expect(mapInline(NO_TABLES, second, registry).warnings).toEqual([]);
  });
});
