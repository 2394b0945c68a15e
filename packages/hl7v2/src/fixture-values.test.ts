// Real: files of the shared public HL7 v2 test set, parsed as bytes; values read through the path API.
// Faked: nothing.
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { parseHl7DateTime } from './date-time';
import type { Hl7Value } from './segment';
import type { Hl7Message } from './message';
import { parseHl7File } from './parse-file';

function parseOnly(name: string, messageIndex = 0): Hl7Message {
  const result = parseHl7File(readHl7Fixture(name), { file: name });
  const message = result.messages[messageIndex];
  if (!message) throw new Error(`${name} has no message ${messageIndex}`);
  return message;
}

describe('field values of the shared test files', () => {
  it.each([
    {
      case: 'colon delimiters: component',
      file: 'custom_delims_colon_dash_plus_01.hl7',
      path: 'MSH-4.2',
      expected: 'field3component2',
    },
    {
      case: 'colon delimiters: subcomponent',
      file: 'custom_delims_colon_dash_plus_01.hl7',
      path: 'MSH-6.1.2',
      expected: 'field5subcomponent2',
    },
    {
      case: 'colon delimiters: ?R? escape',
      file: 'custom_delims_colon_dash_plus_01.hl7',
      path: 'MSH-7',
      expected: 'field6+',
    },
    {
      case: 'colon delimiters: MSH-1',
      file: 'custom_delims_colon_dash_plus_01.hl7',
      path: 'MSH-1',
      expected: ':',
    },
    {
      case: 'colon delimiters: MSH-2',
      file: 'custom_delims_colon_dash_plus_01.hl7',
      path: 'MSH-2',
      expected: '-+?*',
    },
    {
      case: 'dollar delimiters: PID-3',
      file: 'custom_delims_dollar_percent_01.hl7',
      path: 'PID-3',
      expected: '555-44-4444',
    },
    {
      case: 'dollar delimiters: PID-5.2',
      file: 'custom_delims_dollar_percent_01.hl7',
      path: 'PID-5.2',
      expected: 'EVE',
    },
    {
      case: 'hex escape \\X0D\\',
      file: 'escape_hex_x0d_in_msh3_01.hl7',
      path: 'MSH-3',
      expected: '\r',
    },
    {
      case: 'unknown escape passes through',
      file: 'escape_unknown_sequence_passthrough_01.hl7',
      path: 'MSH-3',
      expected: '\\a\\',
    },
    {
      case: '\\S\\ in a header field',
      file: 'adt_a08_escaped_msh5_01.hl7',
      path: 'MSH-5',
      expected: 'Isaac^2',
    },
    {
      case: '\\T\\ in OBR-4',
      file: 'oru_r01_lab_escapes_s_t_01.hl7',
      path: 'OBR-4.5',
      expected: 'CBC & Auto Differential',
    },
    {
      case: '\\S\\ in units',
      file: 'oru_r01_lab_escapes_s_t_01.hl7',
      path: 'OBX[2]-6',
      expected: '10^12/L',
    },
    {
      case: 'occurrence in parentheses',
      file: 'oru_r01_lab_escapes_s_t_01.hl7',
      path: 'OBX(3)-5',
      expected: '140',
    },
    {
      case: 'MSH_MRN text stays in PID-3',
      file: 'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7',
      path: 'PID-3[2].4',
      expected: 'MSH_EMPI',
    },
    {
      case: 'HL7 null is null',
      file: 'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7',
      path: 'PV1-9',
      expected: null,
    },
    {
      case: 'empty field is undefined',
      file: 'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7',
      path: 'PV1-6',
      expected: undefined,
    },
    {
      case: 'leading space kept',
      file: 'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7',
      path: 'PV1-5',
      expected: ' 863968',
    },
    {
      case: 'subcomponent of a component',
      file: 'oru_r01_repetition_subcomponent_01.hl7',
      path: 'PID-3.2.2',
      expected: 'Sub-Component2',
    },
    {
      case: 'second repetition',
      file: 'oru_r01_repetition_subcomponent_01.hl7',
      path: 'PID-4[2]',
      expected: 'Repeat2',
    },
    {
      case: 'repetition past the last',
      file: 'oru_r01_repetition_subcomponent_01.hl7',
      path: 'PID-4[3]',
      expected: undefined,
    },
    {
      case: 'truncation character in MSH-2',
      file: 'oru_r01_elr_msh2_truncation_char_01.hl7',
      path: 'MSH-2',
      expected: '^~\\&#',
    },
    {
      case: 'BOM stripped before MSH',
      file: 'adt_a01_v23_utf8_bom_01.hl7',
      path: 'MSH-3',
      expected: 'AccMgr',
    },
    {
      case: 'LF-terminated PID',
      file: 'adt_a04_classic_mcm_01.hl7',
      path: 'PID-5.1',
      expected: 'JONES',
    },
    {
      case: 'LF-terminated last field',
      file: 'adt_a04_classic_mcm_01.hl7',
      path: 'PID-20.2',
      expected: 'NC',
    },
    {
      case: 'MSH-12 components',
      file: 'adt_a03_fr_lf_msh12_components_01.hl7',
      path: 'MSH-12.2',
      expected: 'FRA',
    },
    {
      case: 'UTF-8 apostrophe',
      file: 'adt_a01_wikipedia_tz_01.hl7',
      path: 'PID-11[2].1',
      expected: 'NICKELL\u2019S PICKLES',
    },
    {
      case: 'cp1252 en dash',
      file: 'charset_cp1252_msh_only_01.hl7',
      path: 'MSH-4',
      expected: 'ELAB\u20133',
    },
  ])('$case', ({ file, path, expected }) => {
    expect(parseOnly(file).get(path)).toBe(expected);
  });

  it('reads the delimiters each message declares', () => {
    expect(parseOnly('custom_delims_colon_dash_plus_01.hl7').delimiters).toEqual({
      field: ':',
      component: '-',
      repetition: '+',
      escape: '?',
      subcomponent: '*',
      truncation: undefined,
    });
    expect(parseOnly('custom_delims_dollar_percent_01.hl7').delimiters).toEqual({
      field: '$',
      component: '%',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
      truncation: undefined,
    });
    expect(parseOnly('oru_r01_elr_msh2_truncation_char_01.hl7').delimiters.truncation).toBe('#');
  });

  it('reads a batch header with its own delimiters', () => {
    const message = parseOnly('batch_bhs_colon_delims_msh_pipe_01.hl7');

    expect(message.delimiters.field).toBe('|');
    expect(message.batchHeader?.delimiters.field).toBe(':');
    expect(message.batchHeader?.delimiters.component).toBe('-');
    expect(message.batchHeader?.get('7')).toBe('20231208');
    expect(message.fileHeader).toBeUndefined();
  });

  it('ties messages to their file and batch headers', () => {
    const file = 'file_fhs_two_batches_01.hl7';
    const first = parseOnly(file, 0);
    const third = parseOnly(file, 2);

    expect(first.fileHeader?.id).toBe('FHS');
    expect(first.batchHeader?.label).toBe('BHS');
    expect(third.batchHeader?.label).toBe('BHS[2]');
    expect(third.batchHeader?.get('11')).toBe('abchs20070101123401-2');
    expect(third.get('MSH-10')).toBe('12334456778890');
  });

  it('returns every repetition with getAll', () => {
    const message = parseOnly('adt_a01_msh_text_in_fields_quoted_nulls_01.hl7');

    expect(message.getAll('PID-3.4')).toEqual(['MSH_MRN', 'MSH_EMPI']);
    expect(message.getAll('PID-3.1')).toEqual(['2148790', '162840']);
    expect(message.getAll('PID-2.4')).toEqual(['MSH_MRN']);
    expect(message.segmentsById('IN1')).toHaveLength(3);
    expect(message.segment('IN1', 3)?.label).toBe('IN1[3]');
  });

  it('keeps escapes in encoded text', () => {
    const message = parseOnly('adt_a08_escaped_msh5_01.hl7');

    expect(message.getEncoded('MSH-5')).toBe('Isaac\\S\\2');
    expect(message.getEncoded('MSH-9')).toBe('ADT^A08');
  });

  it('decodes a mislabelled UTF-8 message as UTF-8', () => {
    const name = 'adt_a08_nl_latin1_family_name_subcomponents_01.hl7';
    const result = parseHl7File(readHl7Fixture(name), { file: name });
    const message = result.messages[0];

    expect(message?.charset).toBe('utf-8');
    expect(message?.get('PID-5.1.3')).toBe('Testpati\u00ebnt');
    expect(result.warnings.map((warning) => warning.code)).toContain('charset-mismatch');
  });

  it('falls back to Windows-1252 for invalid UTF-8', () => {
    const name = 'charset_cp1252_msh_only_01.hl7';
    const result = parseHl7File(readHl7Fixture(name), { file: name });

    expect(result.messages[0]?.charset).toBe('windows-1252');
    expect(result.warnings.find((warning) => warning.code === 'invalid-utf8')?.position).toEqual({
      file: name,
      line: 1,
      record: 0,
      segment: 'MSH',
      segmentIndex: 0,
      field: 'MSH-18',
    });
  });

  it('decodes a declared ISO-8859-1 message with it', () => {
    const message = parseOnly('adt_a03_fr_lf_msh12_components_01.hl7');

    expect(message.charset).toBe('iso-8859-1');
    expect(message.get('PID-3[2].4.2')).toBe('1.3');
  });
});

interface MessageFacts {
  /** MSH-9 as encoded, such as `ADT^A01^ADT_A01`; undefined when MSH-9 is empty. */
  type: string | undefined;
  controlId: Hl7Value;
  segments: number;
  /** A few values per message, escaped and repeated ones among them where the file has any. */
  values: Record<string, Hl7Value>;
}

interface FileFacts {
  messages: MessageFacts[];
  /** Warning codes other than the terminator ones PROVENANCE.tsv describes, in order of first appearance. */
  warnings: string[];
}

const BATCH_ADT_VALUES = {
  'PID-3.1': '0000112234',
  'PID-5.7': 'S',
  'PV1-6.6': '1',
  'MSH-18': 'ASCII',
};
const batchAdt = (controlId: string): MessageFacts => ({
  type: 'ADT^A04^ADT_A01',
  controlId,
  segments: 6,
  values: BATCH_ADT_VALUES,
});
const headerOnly = (values: Record<string, Hl7Value>, segments = 1): MessageFacts => ({
  type: undefined,
  controlId: undefined,
  segments,
  values,
});

/** Facts read from each file by eye; the two invalid_* files reject every message they contain. */
const FILE_FACTS: Record<string, FileFacts> = {
  'adt_a01_fhirconv_01.hl7': {
    messages: [
      {
        type: 'ADT^A01^ADT_A01',
        controlId: 'MSG00001',
        segments: 24,
        values: {
          'PID-3[2].4': 'USSSA',
          'PID-5.1.5': 'Aniston',
          'PV1-14': 'NHS Provider-General (inc.A&E-this Hosp)',
          'EVN-6': '20210817151943.4+0200',
        },
      },
    ],
    warnings: [],
  },
  'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7': {
    messages: [
      {
        type: 'ADT^A01',
        controlId: 'Q150084616T145947960',
        segments: 9,
        values: {
          'PID-3[2].4': 'MSH_EMPI',
          'PV1-9': null,
          'IN1[3]-4': 'SELF-PAY',
          'PV1-5': ' 863968',
        },
      },
    ],
    warnings: ['missing-segment'],
  },
  'adt_a01_v23_utf8_bom_01.hl7': {
    messages: [
      {
        type: 'ADT^A01',
        controlId: '599102',
        segments: 12,
        values: {
          'PID-5.2': 'DONALD',
          'IN1[2]-4': 'MEDICAL MUTUAL CALIF.',
          'GT1-16': '#Cartoon Ducks Inc',
          'PID-30': 'NO ',
        },
      },
    ],
    warnings: [],
  },
  'adt_a01_wikipedia_tz_01.hl7': {
    messages: [
      {
        type: 'ADT^A01^ADT_A01',
        controlId: '01052901',
        segments: 8,
        values: {
          'PID-11[2].1': 'NICKELL\u2019S PICKLES',
          'MSH-7': '20060529090131-0500',
          'OBX-2.2.2': 'M',
        },
      },
    ],
    warnings: [],
  },
  'adt_a03_fr_lf_msh12_components_01.hl7': {
    messages: [
      {
        type: 'ADT^A03^ADT_A03',
        controlId: undefined,
        segments: 2,
        values: { 'MSH-12.2': 'FRA', 'PID-3[2].4.2': '1.3', 'MSH-18': '8859/1' },
      },
    ],
    warnings: ['missing-required-field', 'missing-segment'],
  },
  'adt_a03_nist_syndromic_01.hl7': {
    messages: [
      {
        type: 'ADT^A03^ADT_A03',
        controlId: 'NIST-SS-003.32',
        segments: 10,
        values: {
          'PID-5[2].7': 'S',
          'DG1[3]-3.2': 'Diarrhea',
          'OBX[3]-5.9': 'Diarrhea, stomach pain, dehydration',
        },
      },
    ],
    warnings: [],
  },
  'adt_a04_classic_mcm_01.hl7': {
    messages: [
      {
        type: 'ADT^A04',
        controlId: 'MSG00001',
        segments: 15,
        values: { 'PID-14[2]': '(919)277-3114', 'AL1-5[2]': 'RASH', 'EVN-1': 'A01-' },
      },
    ],
    warnings: [],
  },
  'adt_a04_epic_trailing_pipes_01.hl7': {
    messages: [
      {
        type: 'ADT^A04',
        controlId: '1817457',
        segments: 4,
        values: {
          'PV1-3[1]': '168 ',
          'PV1-3[4].1': 'PMA',
          'PID-5.1': 'DOE',
          'PID-18[2]': '1129086',
        },
      },
    ],
    warnings: ['missing-segment'],
  },
  'adt_a08_escaped_msh5_01.hl7': {
    messages: [
      {
        type: 'ADT^A08',
        controlId: '599102',
        segments: 2,
        values: { 'MSH-5': 'Isaac^2', 'EVN-1': 'A08' },
      },
    ],
    warnings: ['missing-segment'],
  },
  'adt_a08_fhirconv_01.hl7': {
    messages: [
      {
        type: 'ADT^A08^ADT_A08',
        controlId: 'MSG00001',
        segments: 24,
        values: {
          'PID-3[2].4': 'USSSA',
          'NK1-4[2].1.2': 'Duck ST',
          'PV1-14': 'NHS Provider-General (inc.A&E-this Hosp)',
        },
      },
    ],
    warnings: [],
  },
  'adt_a08_nl_latin1_family_name_subcomponents_01.hl7': {
    messages: [
      {
        type: 'ADT^A08^ADT_A01',
        controlId: 'CLV1-1649',
        segments: 5,
        values: {
          'PID-5.1.3': 'Testpati\u00ebnt',
          'PID-3[3].1': 'AA1234567',
          'PID-30': 'N ROL',
          'PID-31': '1',
        },
      },
    ],
    warnings: ['charset-mismatch', 'run-on-segment'],
  },
  'batch_bhs_bts_adt_a04_01.hl7': { messages: [batchAdt('12334456778890')], warnings: [] },
  'batch_bhs_bts_minimal_01.hl7': {
    messages: [
      {
        type: 'ADT^A01^ADT_A01',
        controlId: 'CONTROL_ID',
        segments: 3,
        values: { 'EVN[2]-2': '20081231', 'MSH-11': undefined, 'MSH-12': '2.7' },
      },
    ],
    warnings: ['missing-segment'],
  },
  'batch_bhs_bts_two_msgs_01.hl7': {
    messages: [batchAdt('12334456778890'), batchAdt('12334456778891')],
    warnings: [],
  },
  'batch_bhs_colon_delims_msh_pipe_01.hl7': {
    messages: [
      {
        type: 'ADT^A01^ADT_A01',
        controlId: 'CONTROL_ID',
        segments: 3,
        values: { 'EVN[2]-2': '20081231', 'MSH-12': '2.7' },
      },
    ],
    warnings: ['missing-segment'],
  },
  'batch_nohdr_two_msgs_01.hl7': {
    messages: [batchAdt('12334456778890'), batchAdt('12334456778891')],
    warnings: [],
  },
  'charset_cp1252_msh_only_01.hl7': {
    messages: [headerOnly({ 'MSH-3': 'GHH LAB', 'MSH-4': 'ELAB\u20133' })],
    warnings: ['invalid-utf8', 'missing-required-field'],
  },
  'custom_delims_colon_dash_plus_01.hl7': {
    messages: [headerOnly({ 'MSH-3': 'field2', 'MSH-5[2]': 'field4repeat2', 'MSH-7': 'field6+' })],
    warnings: ['missing-required-field'],
  },
  'custom_delims_dollar_percent_01.hl7': {
    messages: [headerOnly({ 'MSH-3': 'GHH LAB', 'PID-5.2': 'EVE', 'PID-5.6': 'L' }, 2)],
    warnings: ['missing-required-field'],
  },
  'escape_hex_x0d_in_msh3_01.hl7': {
    messages: [headerOnly({ 'MSH-3': '\r' })],
    warnings: ['missing-required-field'],
  },
  'escape_unknown_sequence_passthrough_01.hl7': {
    messages: [headerOnly({ 'MSH-3': '\\a\\' })],
    warnings: ['missing-required-field'],
  },
  'file_fhs_bhs_bts_fts_01.hl7': { messages: [batchAdt('12334456778890')], warnings: [] },
  'file_fhs_fts_no_bhs_01.hl7': {
    messages: [batchAdt('12334456778890'), batchAdt('12334456778891')],
    warnings: [],
  },
  'file_fhs_two_batches_01.hl7': {
    messages: [batchAdt('12334456778890'), batchAdt('12334456778891'), batchAdt('12334456778890')],
    warnings: [],
  },
  'invalid_batch_bhs_without_msh_01.hl7': { messages: [], warnings: ['trailer-count-mismatch'] },
  'invalid_file_nested_bhs_01.hl7': { messages: [], warnings: [] },
  'mdm_t02_ed_01.hl7': {
    messages: [
      {
        type: 'MDM^T02^MDM_T02',
        controlId: 'PS1-20080131160038',
        segments: 13,
        values: { 'OBX[2]-5.2': 'application', 'TXA-2': 'DI', 'NTE[2]-3': 'Antibodies Detected' },
      },
    ],
    warnings: [],
  },
  'mdm_t02_tx_v23_01.hl7': {
    messages: [
      {
        type: 'MDM^T02^MDM_T02',
        controlId: '112',
        segments: 36,
        values: {
          'PID-3[2].4': 'NHSNBR',
          'OBX[29]-1': '29',
          'OBX[4]-5': 'Naming grandmother ruth',
        },
      },
    ],
    warnings: [],
  },
  'orm_o01_fhirconv_bom_01.hl7': {
    messages: [
      {
        type: 'ORM^O01^ORM_O01',
        controlId: 'MSG00018',
        segments: 12,
        values: {
          'ORC-7.1.2': 'lb',
          'ORC-7.2.2': '12:30:05',
          'OBX-5[2]': '120',
          'FT1-11.1.2': 'USD',
        },
      },
    ],
    warnings: [],
  },
  'oru_r01_cwe_ed_nm_rp_01.hl7': {
    messages: [
      {
        type: 'ORU^R01^ORU_R01',
        controlId: '2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325',
        segments: 29,
        values: {
          'OBX-2': 'RP',
          'OBX[2]-5.3': 'Octet-stream',
          'NTE-3':
            'Enteric culture includes testing for Salmonella, Shigella, Campylobacter, Yersinia, E.coli O157:H7 & other STECs, and Aeromonas',
        },
      },
    ],
    warnings: [],
  },
  'oru_r01_elr_msh2_truncation_char_01.hl7': {
    messages: [
      {
        type: 'ORU^R01^ORU_R01',
        controlId: 'PHELR.1.45543',
        segments: 15,
        values: {
          'OBX-3.2': 'Sodium [Moles/volume#',
          'OBX[2]-5.2': '4.2',
          'SPM-2.2.2': '********',
        },
      },
    ],
    warnings: [],
  },
  'oru_r01_ghh_glucose_sn_fn_01.hl7': {
    messages: [
      {
        type: 'ORU^R01',
        controlId: 'CNTRL-3456',
        segments: 5,
        values: { 'OBX-5.2': '182', 'OBX[2]-2': 'FN', 'PID-7': '196203520' },
      },
    ],
    warnings: [],
  },
  'oru_r01_lab_escapes_s_t_01.hl7': {
    messages: [
      {
        type: 'ORU^R01',
        controlId: '3216598',
        segments: 21,
        values: { 'OBR-4.5': 'CBC & Auto Differential', 'OBX[2]-6': '10^12/L', 'OBX-10[2]': 'S' },
      },
    ],
    warnings: [],
  },
  'oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7': {
    messages: [
      {
        type: 'ORU^R01^ORU_R01',
        controlId: 'NIST-LRI-NG-002.00',
        segments: 33,
        values: { 'OBX-5': '4.41', 'OBX[4]-8': 'HH', 'PID-5.2': 'William' },
      },
    ],
    warnings: [],
  },
  'oru_r01_priorityhealth_cr_01.hl7': {
    messages: [
      {
        type: 'ORU^R01',
        controlId: 'Q335939501T337311002',
        segments: 9,
        values: { 'OBR-3[2].1': 'X64489', 'OBX-7.1': '>40', 'OBX-8': null, 'OBX[5]-5': '210' },
      },
    ],
    warnings: [],
  },
  'oru_r01_repetition_subcomponent_01.hl7': {
    messages: [
      {
        type: 'ORU^R01',
        controlId: 'CNTRL-3456',
        segments: 2,
        values: { 'PID-3.2.2': 'Sub-Component2', 'PID-4[2]': 'Repeat2' },
      },
    ],
    warnings: ['missing-segment'],
  },
  'oru_r01_vaers_malformed_obx_01.hl7': {
    messages: [
      {
        type: 'ORU^R01',
        controlId: '20010422GA03',
        segments: 60,
        // The malformed OBX segments are kept as read: the value type runs into OBX-3, a type
        // is repeated, and a number ends in a letter.
        values: {
          'OBX[11]-2.1.1': 'CE30955-9',
          'OBX[11]-3': '1',
          'OBX[16]-5': '01I',
          'OBX[17]-3': 'CE',
        },
      },
    ],
    warnings: [],
  },
  'siu_s12_fhirconv_01.hl7': {
    messages: [
      {
        type: 'SIU^S12^SIU_S12',
        controlId: 'MSG00012',
        segments: 18,
        values: {
          'SCH-11.3': '2 hours',
          'AIS-3.1': '76164006',
          'NTE[3]-3': 'Patient instructions - light meal or liquid diet a day before procedure',
        },
      },
    ],
    warnings: [],
  },
  'vxu_v04_cdc_iz_admin_child_bom_01.hl7': {
    messages: [
      {
        type: 'VXU^V04^VXU_V04',
        controlId: 'NIST-IZ-001.00',
        segments: 11,
        values: {
          'RXA-5.2': 'Influenza, seasonal, injectable, preservative free',
          'OBX[3]-5': '20120702',
          'PID-5.2': 'Madelynn',
        },
      },
    ],
    warnings: [],
  },
  'vxu_v04_fhirconv_bom_01.hl7': {
    messages: [
      {
        type: 'VXU^V04^VXU_V04',
        controlId: 'MSG00001',
        segments: 23,
        values: {
          'RXA-5.1': '49281021588',
          'PV1-14': 'NHS Provider-General (inc.A&E-this Hosp)',
          'NTE-3': 'No Antibodies Detected',
        },
      },
    ],
    warnings: [],
  },
  'vxu_v04_nist_iz_01.hl7': {
    messages: [
      {
        type: 'VXU^V04^VXU_V04',
        controlId: 'NIST-IZ-020.00',
        segments: 24,
        values: { 'RXA[2]-5.2': 'PCV 13', 'RXR[2]-2.2': 'Left Arm', 'PID-5.1': 'Curry' },
      },
    ],
    warnings: [],
  },
};

const TERMINATOR_WARNINGS = new Set(['segment-terminator-lf', 'missing-final-terminator']);
const messageCases = Object.entries(FILE_FACTS).flatMap(([file, facts]) =>
  facts.messages.map((message, index) => ({
    case: `${file} message ${index}`,
    file,
    index,
    ...message,
  })),
);

describe('messages of every shared test file', () => {
  it('has facts for every file', () => {
    expect(Object.keys(FILE_FACTS).sort()).toEqual(listHl7Fixtures());
  });

  it.each(messageCases)('$case', ({ file, index, type, controlId, segments, values }) => {
    const message = parseOnly(file, index);

    expect(message.index).toBe(index);
    expect(message.getEncoded('MSH-9')).toBe(type);
    expect(message.get('MSH-10')).toBe(controlId);
    expect(message.segments).toHaveLength(segments);
    for (const [path, value] of Object.entries(values)) {
      expect([path, message.get(path)]).toEqual([path, value]);
    }
  });

  it.each(Object.entries(FILE_FACTS).map(([file, facts]) => ({ case: file, file, ...facts })))(
    '$case: message count and warnings',
    ({ file, messages, warnings }) => {
      const result = parseHl7File(readHl7Fixture(file), { file });
      const codes = result.warnings
        .map((warning) => warning.code)
        .filter((code) => !TERMINATOR_WARNINGS.has(code));

      expect(result.messages).toHaveLength(messages.length);
      expect([...new Set(codes)]).toEqual(warnings);
    },
  );
});

describe('files malformed on purpose', () => {
  it('reports run-on segments precisely', () => {
    const name = 'adt_a08_nl_latin1_family_name_subcomponents_01.hl7';
    const result = parseHl7File(readHl7Fixture(name), { file: name });
    const runOn = result.warnings.filter((warning) => warning.code === 'run-on-segment');

    expect(runOn.map((warning) => warning.position)).toEqual([
      {
        file: name,
        line: 3,
        record: 0,
        controlId: 'CLV1-1649',
        segment: 'PID',
        segmentIndex: 2,
        field: 'PID-30',
      },
      {
        file: name,
        line: 5,
        record: 0,
        controlId: 'CLV1-1649',
        segment: 'PV2',
        segmentIndex: 4,
        field: 'PV2-9',
      },
    ]);
    expect(runOn.map((warning) => warning.reason)).toEqual([
      'message 0: PID-30 ends with white space and the segment id ROL: the terminator before the ROL segment was probably lost, so its fields are read as PID-31 onwards',
      'message 0: PV2-9 ends with white space and the segment id IN1: the terminator before the IN1 segment was probably lost, so its fields are read as PV2-10 onwards',
    ]);
  });

  it('explains an impossible birth date', () => {
    const message = parseOnly('oru_r01_ghh_glucose_sn_fn_01.hl7');

    expect(message.get('PID-7')).toBe('196203520');
    expect(parseHl7DateTime(message.get('PID-7') ?? '')).toEqual({
      ok: false,
      reason: 'has 9 digits before any fraction or offset; expected 4, 6, 8, 10, 12 or 14',
    });
  });
});
