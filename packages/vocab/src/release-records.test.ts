// Real: whole releases in each loader's exact layout, read through readReleaseRecords, and the
// ICD-10-CM sample lines of the shared test data. Faked: the other codes and descriptions are
// synthetic, and the files are bytes in memory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { syntheticLoincNumber, syntheticSctid } from './__fixtures__/input';
import type { CodeRecord } from './code-record';
import { VocabFileError } from './errors';
import { collectVocab } from './problems';
import { readReleaseRecords, type ReleaseFileInput, type ReleaseFormat } from './release-records';

function file(name: string, lines: readonly string[]): ReleaseFileInput {
  return { name, open: () => Buffer.from(`${lines.join('\n')}\n`, 'utf8') };
}

async function recordsOf(format: ReleaseFormat, files: ReleaseFileInput[]) {
  return collectVocab(readReleaseRecords(format, files));
}

const TESTDATA = path.resolve(__dirname, '../../../../shared/testdata/vocab');
const LOINC_ACTIVE = syntheticLoincNumber(900001);
const LOINC_OLD = syntheticLoincNumber(900002);
const LOINC_HEADER =
  '"LOINC_NUM","COMPONENT","CLASS","VersionLastChanged","STATUS","SHORTNAME","LONG_COMMON_NAME"';

const CONCEPT = syntheticSctid(900001, 'concept');
const INACTIVE_CONCEPT = syntheticSctid(900002, 'concept');
const MODULE = '731000124108';
const PRIMITIVE = '900000000000074008';
const SYNONYM = '900000000000013009';
const FULLY_SPECIFIED = '900000000000003001';
const CASE_INSENSITIVE = '900000000000448009';

describe('readReleaseRecords', () => {
  it('reads LOINC with MapTo replacements', async () => {
    const { records, problems } = await recordsOf('loinc', [
      file('LoincTable/Loinc.csv', [
        LOINC_HEADER,
        `"${LOINC_ACTIVE}","Synthetic","SYN","2.80","ACTIVE","Syn 1","Synthetic LOINC ${LOINC_ACTIVE}"`,
        `"${LOINC_OLD}","Synthetic","SYN","2.80","DEPRECATED","Syn 2","Synthetic LOINC ${LOINC_OLD}"`,
      ]),
      file('LoincTable/MapTo.csv', [
        '"LOINC","MAP_TO","COMMENT"',
        `"${LOINC_OLD}","${LOINC_ACTIVE}",""`,
      ]),
    ]);

    expect(problems).toEqual([]);
    expect(records.map((record) => [record.code, record.status, record.replacedBy])).toEqual([
      [LOINC_ACTIVE, 'active', undefined],
      [LOINC_OLD, 'deprecated', [LOINC_ACTIVE]],
    ]);
  });

  it('reads SNOMED CT concepts with their fully specified names', async () => {
    const descriptionId = (serial: number): string =>
      syntheticSctid(900000 + serial, 'description');
    const { records, problems } = await recordsOf('snomed-rf2', [
      file('sct2_Concept_Snapshot_US1000124_20250301.txt', [
        'id\teffectiveTime\tactive\tmoduleId\tdefinitionStatusId',
        `${CONCEPT}\t20020131\t1\t${MODULE}\t${PRIMITIVE}`,
        `${INACTIVE_CONCEPT}\t20190731\t0\t${MODULE}\t${PRIMITIVE}`,
      ]),
      file('sct2_Description_Snapshot-en_US1000124_20250301.txt', [
        'id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignificanceId',
        `${descriptionId(1)}\t20020131\t1\t${MODULE}\t${CONCEPT}\ten\t${SYNONYM}\tSynthetic synonym\t${CASE_INSENSITIVE}`,
        `${descriptionId(2)}\t20020131\t1\t${MODULE}\t${CONCEPT}\ten\t${FULLY_SPECIFIED}\tSynthetic concept (finding)\t${CASE_INSENSITIVE}`,
      ]),
      file('sct2_Relationship_Snapshot_US1000124_20250301.txt', ['not read']),
    ]);

    expect(problems).toEqual([]);
    expect(records).toEqual<CodeRecord[]>([
      {
        system: 'snomedct',
        code: CONCEPT,
        display: 'Synthetic concept (finding)',
        status: 'active',
      },
      {
        system: 'snomedct',
        code: INACTIVE_CONCEPT,
        display: '',
        status: 'retired',
        validTo: '2019-07-31',
      },
    ]);
  });

  it('reads a CVX table', async () => {
    const { records } = await recordsOf('cvx', [
      file('cvx.txt', [
        '901|Synthetic vaccine 1|Synthetic vaccine 1, full name||Inactive|False|1/15/2025',
      ]),
    ]);

    expect(records).toEqual([
      { system: 'cvx', code: '901', display: 'Synthetic vaccine 1', status: 'inactive' },
    ]);
  });

  it('reads the ICD-10-CM order file of a release', async () => {
    const order = await readFile(path.join(TESTDATA, 'icd10cm_order_sample.txt'));
    const codes = await readFile(path.join(TESTDATA, 'icd10cm_codes_sample.txt'));

    const { records } = await recordsOf('icd10', [
      { name: 'icd10cm_order_2025.txt', open: () => order },
      { name: 'icd10cm_codes_2025.txt', open: () => codes },
    ]);

    expect(records.map((record) => record.code)).toEqual(['A00', 'A00.0', 'E11', 'E11.65', 'I10']);
  });

  it('reads RxNorm concepts and retired concepts', async () => {
    const conso = (cui: string, aui: string, tty: string, text: string, suppress = 'N'): string =>
      `${cui}|ENG||||||${aui}|||${cui}|RXNORM|${tty}|${cui}|${text}||${suppress}|4096|`;
    const { records } = await recordsOf('rxnorm', [
      file('rrf/RXNCONSO.RRF', [
        conso('900001', '9100001', 'SCD', 'Synthetic drug 1'),
        conso('900001', '9100002', 'SY', 'Synthetic drug 1 synonym'),
      ]),
      file('rrf/RXNCUI.RRF', ['900002|20200101|20230101|1|900001|']),
    ]);

    expect(records).toEqual<CodeRecord[]>([
      { system: 'rxnorm', code: '900001', display: 'Synthetic drug 1', status: 'active' },
      {
        system: 'rxnorm',
        code: '900002',
        display: '',
        status: 'retired',
        validFrom: '2020-01-01',
        validTo: '2023-01-02',
        replacedBy: ['900001'],
      },
    ]);
  });

  it('reads OMOP concepts with their replacements', async () => {
    const header = [
      'concept_id',
      'concept_name',
      'domain_id',
      'vocabulary_id',
      'concept_class_id',
      'standard_concept',
      'concept_code',
      'valid_start_date',
      'valid_end_date',
      'invalid_reason',
    ].join('\t');
    const { records } = await recordsOf('omop', [
      file('CONCEPT.csv', [
        header,
        `91\tSynthetic old\tDrug\tNDC\tNDC\t\t00000000001\t20100101\t20191231\tU`,
        `92\tSynthetic new\tDrug\tNDC\tNDC\t\t00000000002\t20200101\t20991231\t`,
      ]),
      file('CONCEPT_RELATIONSHIP.csv', [
        'concept_id_1\tconcept_id_2\trelationship_id\tvalid_start_date\tvalid_end_date\tinvalid_reason',
        '91\t92\tConcept replaced by\t20200101\t20991231\t',
      ]),
    ]);

    expect(
      records.map((record) => [record.system, record.code, record.status, record.replacedBy]),
    ).toEqual([
      ['ndc', '00000000001', 'deprecated', ['00000000002']],
      ['ndc', '00000000002', 'active', undefined],
    ]);
  });

  it('passes line problems through', async () => {
    const { records, problems } = await recordsOf('cvx', [
      file('cvx.txt', [
        '901|Synthetic vaccine 1|Full name||Active|False|',
        'x|Bad code|Full name||Active|False|',
      ]),
    ]);

    expect(records).toHaveLength(1);
    expect(problems.map(({ code, line, field }) => ({ code, line, field }))).toEqual([
      { code: 'invalid-code', line: 2, field: 'CVX Code' },
    ]);
  });

  it.each([
    {
      case: 'LOINC without Loinc.csv',
      format: 'loinc' as const,
      files: [file('MapTo.csv', [])],
      message: /no Loinc\.csv file/,
    },
    {
      case: 'SNOMED CT without descriptions',
      format: 'snomed-rf2' as const,
      files: [file('sct2_Concept_Snapshot_INT_20250101.txt', [])],
      message: /no sct2_Description_Snapshot file/,
    },
    {
      case: 'two CVX tables',
      format: 'cvx' as const,
      files: [file('a/cvx.txt', []), file('b/cvx.txt', [])],
      message: /has 2 cvx\.txt files/,
    },
  ])('rejects $case', async ({ format, files, message }) => {
    const reading = recordsOf(format, files);

    await expect(reading).rejects.toThrow(VocabFileError);
    await expect(recordsOf(format, files)).rejects.toThrow(message);
  });
});
