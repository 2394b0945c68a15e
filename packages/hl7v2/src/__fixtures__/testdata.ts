import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared public HL7 v2 test files, read in place and never copied into the repository. */
export const HL7_TESTDATA_DIR = resolve(__dirname, '../../../../../shared/testdata/hl7v2');

export function listHl7Fixtures(): string[] {
  return readdirSync(HL7_TESTDATA_DIR)
    .filter((name) => name.endsWith('.hl7'))
    .sort();
}

export function readHl7Fixture(name: string): Buffer {
  return readFileSync(join(HL7_TESTDATA_DIR, name));
}

/** One row of PROVENANCE.tsv: where a file comes from and how its segments are terminated. */
export interface FixtureProvenance {
  file: string;
  segment_terminators: 'CR' | 'LF' | 'none';
  utf8_bom: 'yes' | 'no';
  final_terminator: 'ends with terminator' | 'no final terminator';
  notes: string;
}

export function readProvenance(): Map<string, FixtureProvenance> {
  const [header = '', ...lines] = readFileSync(join(HL7_TESTDATA_DIR, 'PROVENANCE.tsv'), 'utf8')
    .trim()
    .split('\n');
  const columns = header.split('\t');
  const rows = new Map<string, FixtureProvenance>();
  for (const line of lines) {
    const values = line.split('\t');
    const row = Object.fromEntries(
      columns.map((column, index) => [column, values[index] ?? '']),
    ) as unknown as FixtureProvenance;
    rows.set(row.file, row);
  }
  return rows;
}

/** A small synthetic ADT^A01 (no real person), one segment per entry, for terminator and envelope cases. */
export const SYNTHETIC_ADT_SEGMENTS = [
  'MSH|^~\\&|ADMIT|NORTH|LAKE|LAKE|20240102030405||ADT^A01^ADT_A01|CTRL-1|P|2.5',
  'EVN|A01|20240102030405',
  'PID|1||MRN-7^^^NORTH-MRN^MR||TESTER^ALEX||19800229|U',
  'PV1|1|O',
];
