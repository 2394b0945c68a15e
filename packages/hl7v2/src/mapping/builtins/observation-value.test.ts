// Real: the builtins through the mapping interpreter, synthetic messages (no real person). Faked: nothing.
import { sha256Hex } from '@carelake/core';
import {
  ADT_SEGMENTS,
  compileInline,
  mapInline,
  mappingText,
} from '../__fixtures__/inline-mapping';

const PARTS = [
  'text',
  'number',
  'number_high',
  'comparator',
  'code',
  'code_system',
  'time',
  'ref',
  'size',
  'media_type',
];

function observationMapping(maxInlineBytes?: number): string {
  const header = [
    'each: OBX',
    ...(maxInlineBytes === undefined ? [] : [`maxInlineBytes: ${maxInlineBytes}`]),
  ];
  return mappingText(
    header,
    Object.fromEntries(PARTS.map((part) => [part, `{ builtin: observation_value.${part} }`])),
  );
}

/** Map one OBX (after the synthetic ADT segments) and return its value parts that are not null. */
function valueOf(obx: string, maxInlineBytes?: number) {
  const mapped = mapInline(compileInline(observationMapping(maxInlineBytes)), [
    ...ADT_SEGMENTS,
    obx,
  ]);
  const [row = {}] = mapped.rows;
  const parts = Object.fromEntries(
    PARTS.filter((part) => row[part] !== null).map((part) => [part, row[part]]),
  );
  return { parts, warnings: mapped.warnings, attachments: mapped.attachments };
}

describe('observation_value', () => {
  it.each([
    { case: 'NM', obx: 'OBX|1|NM|HR||-0.5', expected: { text: '-0.5', number: -0.5 } },
    { case: 'NM repeated', obx: 'OBX|1|NM|HR||60~120', expected: { text: '60~120', number: 60 } },
    { case: 'SN plain', obx: 'OBX|1|SN|GLU||^182', expected: { text: '^182', number: 182 } },
    {
      case: 'SN equal',
      obx: 'OBX|1|SN|GLU||=^12',
      expected: { text: '=^12', number: 12, comparator: '=' },
    },
    {
      case: 'SN less than',
      obx: 'OBX|1|SN|GLU||<^10',
      expected: { text: '<^10', number: 10, comparator: '<' },
    },
    {
      case: 'SN at least',
      obx: 'OBX|1|SN|GLU||>=^5',
      expected: { text: '>=^5', number: 5, comparator: '>=' },
    },
    {
      case: 'SN range',
      obx: 'OBX|1|SN|GLU||^10^-^20',
      expected: { text: '^10^-^20', number: 10, number_high: 20 },
    },
    { case: 'SN ratio', obx: 'OBX|1|SN|TITER||^1^:^128', expected: { text: '^1^:^128' } },
    {
      case: 'CWE',
      obx: 'OBX|1|CWE|CULT||27268008^Salmonella^SCT^^^^^^Salmonella species',
      expected: { text: 'Salmonella', code: '27268008', code_system: 'SCT' },
    },
    {
      case: 'CE alternate coding',
      obx: 'OBX|1|CE|X||^^^L-9^Local nine^99LOC',
      expected: { text: 'Local nine', code: 'L-9', code_system: '99LOC' },
    },
    {
      case: 'CWE original text only',
      obx: 'OBX|1|CWE|X||^^^^^^^^Stomach pain',
      expected: { text: 'Stomach pain' },
    },
    {
      case: 'ST',
      obx: 'OBX|1|ST|X||Growth \\T\\ no growth',
      expected: { text: 'Growth & no growth' },
    },
    {
      case: 'TX repetitions',
      obx: 'OBX|1|TX|X||line one~line two',
      expected: { text: 'line one\nline two' },
    },
    {
      case: 'FT line breaks',
      obx: 'OBX|1|FT|X||first\\.br\\second',
      expected: { text: 'first\nsecond' },
    },
    {
      case: 'DT',
      obx: 'OBX|1|DT|X||20120702',
      expected: { text: '20120702', time: new Date('2012-07-02T00:00:00.000Z') },
    },
    {
      case: 'TS with offset',
      obx: 'OBX|1|TS|X||201207021030-0500',
      expected: { text: '201207021030-0500', time: new Date('2012-07-02T15:30:00.000Z') },
    },
    {
      case: 'RP small',
      obx: 'OBX|1|RP|X||https://example.org/1^^SD^PICT',
      expected: { text: 'https://example.org/1^^SD^PICT' },
    },
    { case: 'HD, as written', obx: 'OBX|1|HD|X||1.2.3^^ISO', expected: { text: '1.2.3^^ISO' } },
    { case: 'empty NM', obx: 'OBX|1|NM|HR||', expected: {} },
  ])('types $case', ({ obx, expected }) => {
    const { parts, warnings } = valueOf(obx);

    expect(parts).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it.each([
    { case: 'NM', obx: 'OBX|1|NM|HR||01I', code: 'invalid-number', column: 'value_number' },
    {
      case: 'SN range end',
      obx: 'OBX|1|SN|GLU||^10^-^x',
      code: 'invalid-number',
      column: 'value_number_high',
    },
    { case: 'TS', obx: 'OBX|1|TS|X||2012-07-02', code: 'invalid-date', column: 'value_time' },
    {
      case: 'ED Base64',
      obx: 'OBX|1|ED|DOC||^application^pdf^Base64^not*base64',
      code: 'invalid-attachment',
      column: 'value_ref',
    },
  ])('warns about an invalid $case', ({ obx, code, column }) => {
    const { warnings } = valueOf(obx);

    expect(warnings).toEqual([
      {
        code,
        reason: expect.stringContaining(`clinical.test.${column} is null`),
        position: {
          file: 'landing/hl7/inline.hl7',
          record: 0,
          line: 5,
          segment: 'OBX',
          field: 'OBX-5',
        },
      },
    ]);
  });

  it('keeps ED data out of the row as an attachment', () => {
    const pdf = Buffer.from('%PDF-1.4 synthetic');
    const { parts, attachments } = valueOf(
      `OBX|1|ED|DOC||^AP^PDF^Base64^${pdf.toString('base64')}`,
    );
    const sha256 = sha256Hex(pdf);

    expect(parts).toEqual({
      ref: `raw/hl7v2_attachments/${sha256.slice(0, 2)}/${sha256}`,
      size: pdf.length,
      media_type: 'application/pdf',
    });
    expect(attachments).toEqual([
      { key: parts['ref'], sha256, bytes: pdf, mediaType: 'application/pdf', encoding: 'base64' },
    ]);
  });

  it.each([
    {
      case: 'Hex',
      ed: '^text^plain^Hex^48690A',
      bytes: 'Hi\n',
      mediaType: 'text/plain',
      encoding: 'hex',
    },
    {
      case: 'A',
      ed: '^TEXT^^A^plain \\T\\ text',
      bytes: 'plain & text',
      mediaType: 'text/plain',
      encoding: 'text',
    },
    {
      case: 'no type',
      ed: '^^^Base64^AAEC',
      bytes: '\u0000\u0001\u0002',
      mediaType: 'application/octet-stream',
      encoding: 'base64',
    },
  ])('decodes ED data encoded as $case', ({ ed, bytes, mediaType, encoding }) => {
    const { attachments } = valueOf(`OBX|1|ED|DOC||${ed}`);

    expect(
      attachments.map((attachment) => [
        Buffer.from(attachment.bytes).toString('latin1'),
        attachment.mediaType,
        attachment.encoding,
      ]),
    ).toEqual([[bytes, mediaType, encoding]]);
  });

  it('maps ED without data to nothing', () => {
    const { parts, attachments } = valueOf('OBX|1|ED|DOC||^application^pdf^Base64^');

    expect(parts).toEqual({});
    expect(attachments).toEqual([]);
  });

  it('keeps an RP larger than maxInlineBytes out of the row', () => {
    const { parts, attachments } = valueOf(
      'OBX|1|RP|X||https://example.org/a-long-reference^^SD^PICT',
      16,
    );

    expect(parts).toEqual({
      ref: attachments[0]?.key,
      size: 45,
      media_type: 'text/plain; charset=utf-8',
    });
    expect(Buffer.from(attachments[0]?.bytes ?? []).toString('utf8')).toBe(
      'https://example.org/a-long-reference^^SD^PICT',
    );
  });

  it('reads coded values with the message delimiters', () => {
    const segments = [
      'MSH:-+?*:APP:FAC::::20240102::ORU-R01:C-5:P:2.5',
      'OBX:1:CWE:HT-Height-LN::E-room?T?visit-NIP005+H',
    ];
    const mapped = mapInline(compileInline(observationMapping()), segments);

    expect(mapped.rows[0]?.['code']).toBe('E');
    // ?T? escapes the subcomponent separator, which this message declares as *.
    expect(mapped.rows[0]?.['text']).toBe('room*visit');
    expect(mapped.rows[0]?.['code_system']).toBe('NIP005');
  });
});

describe('document_content', () => {
  const header = ['each: TXA', 'following: [OBX]'];
  const columns = Object.fromEntries(
    ['text', 'ref', 'size', 'media_type'].map((part) => [
      part,
      `{ builtin: document_content.${part} }`,
    ]),
  );
  const MDM = ['MSH|^~\\&|DOCS|NORTH|||20240105||MDM^T02|D-1|P|2.5', 'PID|1||MRN-7', 'TXA|1|DS|TX'];

  function contentOf(obx: readonly string[], maxInlineBytes?: number) {
    const fileHeader =
      maxInlineBytes === undefined ? header : [...header, `maxInlineBytes: ${maxInlineBytes}`];
    return mapInline(compileInline(mappingText(fileHeader, columns)), [...MDM, ...obx]);
  }

  it('joins the text lines of the OBX segments after the TXA', () => {
    const { rows } = contentOf([
      'OBX|1|TX|N||First line.',
      'OBX|2|HD|X||1.2.3',
      'OBX|3|FT|N||Second\\.br\\third',
      'TXA|2|DS|TX',
      'OBX|1|TX|N||Other',
    ]);

    expect(rows.map((row) => row['text'])).toEqual(['First line.\nSecond\nthird', 'Other']);
    expect(rows[0]).toMatchObject({ ref: null, size: null, media_type: 'text/plain' });
  });

  it('stores an ED document as an attachment', () => {
    const { rows, attachments } = contentOf([
      'OBX|1|TX|N||Cover note',
      'OBX|2|ED|PDF||^application^pdf^Base64^JVBERi0=',
    ]);

    expect(rows[0]).toMatchObject({
      text: null,
      ref: attachments[0]?.key,
      size: 5,
      media_type: 'application/pdf',
    });
    expect(Buffer.from(attachments[0]?.bytes ?? []).toString('latin1')).toBe('%PDF-');
  });

  it('stores text larger than maxInlineBytes as an attachment', () => {
    const { rows, attachments } = contentOf(['OBX|1|TX|N||0123456789', 'OBX|2|TX|N||abcdef'], 12);

    expect(rows[0]).toMatchObject({
      text: null,
      ref: attachments[0]?.key,
      size: 17,
      media_type: 'text/plain; charset=utf-8',
    });
  });

  it('is null without content', () => {
    expect(contentOf([]).rows[0]).toMatchObject({
      text: null,
      ref: null,
      size: null,
      media_type: null,
    });
  });
});
