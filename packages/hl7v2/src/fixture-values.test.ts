// Real: files of the shared public HL7 v2 test set, parsed as bytes; values read through the path API.
// Faked: nothing.
import { readHl7Fixture } from './__fixtures__/testdata';
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
      field: 'MSH-18',
    });
  });

  it('decodes a declared ISO-8859-1 message with it', () => {
    const message = parseOnly('adt_a03_fr_lf_msh12_components_01.hl7');

    expect(message.charset).toBe('iso-8859-1');
    expect(message.get('PID-3[2].4.2')).toBe('1.3');
  });
});
