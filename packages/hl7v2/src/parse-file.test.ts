// Real: every file of the shared public HL7 v2 test set, read from disk and parsed as bytes.
// Faked: nothing.
import { listHl7Fixtures, readHl7Fixture, readProvenance } from './__fixtures__/testdata';
import { parseHl7File } from './parse-file';

interface FileCase {
  case: string;
  messages: number;
  problems: string[];
}

/**
 * Message counts come from counting MSH segments in each file; the two invalid_* files are broken
 * on purpose, as PROVENANCE.tsv records.
 */
const EXPECTED: Record<string, Omit<FileCase, 'case'>> = {
  'adt_a01_fhirconv_01.hl7': { messages: 1, problems: [] },
  'adt_a01_msh_text_in_fields_quoted_nulls_01.hl7': { messages: 1, problems: [] },
  'adt_a01_v23_utf8_bom_01.hl7': { messages: 1, problems: [] },
  'adt_a01_wikipedia_tz_01.hl7': { messages: 1, problems: [] },
  'adt_a03_fr_lf_msh12_components_01.hl7': { messages: 1, problems: [] },
  'adt_a03_nist_syndromic_01.hl7': { messages: 1, problems: [] },
  'adt_a04_classic_mcm_01.hl7': { messages: 1, problems: [] },
  'adt_a04_epic_trailing_pipes_01.hl7': { messages: 1, problems: [] },
  'adt_a08_escaped_msh5_01.hl7': { messages: 1, problems: [] },
  'adt_a08_fhirconv_01.hl7': { messages: 1, problems: [] },
  'adt_a08_nl_latin1_family_name_subcomponents_01.hl7': { messages: 1, problems: [] },
  'batch_bhs_bts_adt_a04_01.hl7': { messages: 1, problems: [] },
  'batch_bhs_bts_minimal_01.hl7': { messages: 1, problems: [] },
  'batch_bhs_bts_two_msgs_01.hl7': { messages: 2, problems: [] },
  'batch_bhs_colon_delims_msh_pipe_01.hl7': { messages: 1, problems: [] },
  'batch_nohdr_two_msgs_01.hl7': { messages: 2, problems: [] },
  'charset_cp1252_msh_only_01.hl7': { messages: 1, problems: [] },
  'custom_delims_colon_dash_plus_01.hl7': { messages: 1, problems: [] },
  'custom_delims_dollar_percent_01.hl7': { messages: 1, problems: [] },
  'escape_hex_x0d_in_msh3_01.hl7': { messages: 1, problems: [] },
  'escape_unknown_sequence_passthrough_01.hl7': { messages: 1, problems: [] },
  'file_fhs_bhs_bts_fts_01.hl7': { messages: 1, problems: [] },
  'file_fhs_fts_no_bhs_01.hl7': { messages: 2, problems: [] },
  'file_fhs_two_batches_01.hl7': { messages: 3, problems: [] },
  'invalid_batch_bhs_without_msh_01.hl7': { messages: 0, problems: ['missing-message-header'] },
  'invalid_file_nested_bhs_01.hl7': { messages: 0, problems: ['nested-batch-header'] },
  'mdm_t02_ed_01.hl7': { messages: 1, problems: [] },
  'mdm_t02_tx_v23_01.hl7': { messages: 1, problems: [] },
  'orm_o01_fhirconv_bom_01.hl7': { messages: 1, problems: [] },
  'oru_r01_cwe_ed_nm_rp_01.hl7': { messages: 1, problems: [] },
  'oru_r01_elr_msh2_truncation_char_01.hl7': { messages: 1, problems: [] },
  'oru_r01_ghh_glucose_sn_fn_01.hl7': { messages: 1, problems: [] },
  'oru_r01_lab_escapes_s_t_01.hl7': { messages: 1, problems: [] },
  'oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7': { messages: 1, problems: [] },
  'oru_r01_priorityhealth_cr_01.hl7': { messages: 1, problems: [] },
  'oru_r01_repetition_subcomponent_01.hl7': { messages: 1, problems: [] },
  'oru_r01_vaers_malformed_obx_01.hl7': { messages: 1, problems: [] },
  'siu_s12_fhirconv_01.hl7': { messages: 1, problems: [] },
  'vxu_v04_cdc_iz_admin_child_bom_01.hl7': { messages: 1, problems: [] },
  'vxu_v04_fhirconv_bom_01.hl7': { messages: 1, problems: [] },
  'vxu_v04_nist_iz_01.hl7': { messages: 1, problems: [] },
};

const provenance = readProvenance();
const fileCases: FileCase[] = listHl7Fixtures().map((name) => ({
  case: name,
  messages: EXPECTED[name]?.messages ?? -1,
  problems: EXPECTED[name]?.problems ?? ['(file missing from the expectation table)'],
}));

describe('parseHl7File over the shared test files', () => {
  it('covers every file in the test set', () => {
    expect(fileCases.map((fileCase) => fileCase.case)).toEqual(Object.keys(EXPECTED).sort());
    expect(fileCases.map((fileCase) => fileCase.case)).toEqual([...provenance.keys()].sort());
  });

  it.each(fileCases)('$case: message count and problems', ({ case: name, messages, problems }) => {
    const result = parseHl7File(readHl7Fixture(name), { file: name });

    expect(result.messages).toHaveLength(messages);
    expect(result.problems.map((problem) => problem.code)).toEqual(problems);
    for (const problem of result.problems) expect(problem.position.file).toBe(name);
  });

  it.each(fileCases)(
    '$case: indexes, terminators and BOM as PROVENANCE.tsv describes',
    ({ case: name }) => {
      const described = provenance.get(name);
      const result = parseHl7File(readHl7Fixture(name), { file: name });
      const warningCodes = result.warnings.map((warning) => warning.code);

      if (result.problems.length === 0) {
        expect(result.messages.map((message) => message.index)).toEqual(
          result.messages.map((_, index) => index),
        );
      }
      for (const message of result.messages) {
        expect(message.segments[0]?.id).toBe('MSH');
        // A segment never takes in the next one: no line break survives inside a segment's text.
        for (const segment of message.segments) expect(segment.text).not.toMatch(/[\r\n]/);
      }
      expect(warningCodes.includes('segment-terminator-lf')).toBe(
        described?.segment_terminators === 'LF',
      );
      expect(warningCodes.includes('missing-final-terminator')).toBe(
        described?.final_terminator === 'no final terminator',
      );
      expect(warningCodes).not.toContain('segment-terminator-crlf');
      expect(warningCodes).not.toContain('mixed-segment-terminators');
      if (described?.utf8_bom === 'yes') {
        expect(result.messages[0]?.range.start).toBe(3);
        expect(result.messages[0]?.text.startsWith('MSH|')).toBe(true);
      }
    },
  );
});

describe('parseHl7File invalid envelopes', () => {
  function segmentIds(text: string | undefined): string[] {
    return (text ?? '').split('\r').map((segment) => segment.slice(0, 3));
  }

  it('names BHS followed by EVN instead of MSH', () => {
    const name = 'invalid_batch_bhs_without_msh_01.hl7';
    const [problem] = parseHl7File(readHl7Fixture(name), { file: name }).problems;

    expect(problem?.position).toEqual({ file: name, line: 2, segment: 'EVN' });
    expect(problem?.reason).toBe(
      '5 segment(s) from line 2 belong to no message: the BHS at line 1 is followed by EVN, not MSH',
    );
    expect(segmentIds(problem?.text)).toEqual(['EVN', 'PID', 'PD1', 'NK1', 'PV1']);
  });

  it('rejects the message a nested BHS cuts off', () => {
    const name = 'invalid_file_nested_bhs_01.hl7';
    const [problem] = parseHl7File(readHl7Fixture(name), { file: name }).problems;

    expect(problem?.position).toEqual({ file: name, line: 5, record: 0, segment: 'BHS[2]' });
    expect(problem?.reason).toBe(
      'the BHS at line 5 opens an envelope inside the BHS at line 2, before its trailer; ' +
        'message 0 (line 3) is cut off and rejected; 4 segment(s) after it belong to no message',
    );
    expect(segmentIds(problem?.text)).toEqual(['MSH', 'EVN', 'BHS', 'PID', 'PD1', 'NK1', 'PV1']);
  });
});
