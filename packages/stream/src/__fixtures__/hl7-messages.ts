import { readFileSync } from 'node:fs';
import path from 'node:path';

const HL7_FOLDER = path.resolve(__dirname, '../../../../../shared/testdata/hl7v2');

/** Small single-message files of the shared HL7 v2 set (0.6 to 1.5 KB), used as record payloads. */
const MESSAGE_FILES = [
  'adt_a01_wikipedia_tz_01.hl7',
  'adt_a03_nist_syndromic_01.hl7',
  'adt_a04_classic_mcm_01.hl7',
  'oru_r01_priorityhealth_cr_01.hl7',
  'vxu_v04_cdc_iz_admin_child_bom_01.hl7',
];

let cached: string[] | undefined;

function messages(): string[] {
  cached ??= MESSAGE_FILES.map((file) =>
    readFileSync(path.join(HL7_FOLDER, file), 'utf8').trimEnd(),
  );
  return cached;
}

/**
 * Build an HL7 v2 message from the shared set with a `ZRC` segment that numbers it,
 * so a test can tell every record apart and check order. `marker` is added to
 * the segment when given, for tests that search storage for plaintext.
 */
export function numberedMessage(recordNumber: number, marker = ''): Uint8Array {
  const all = messages();
  const base = all[recordNumber % all.length] as string;
  return Buffer.from(`${base}\rZRC|${recordNumber}|${marker}\r`, 'utf8');
}

/** Read back the number that `numberedMessage` put in the `ZRC` segment. */
export function recordNumberOf(data: Uint8Array): number {
  const text = Buffer.from(data).toString('utf8');
  const match = /\rZRC\|(\d+)\|/.exec(text);
  if (!match?.[1]) throw new Error('record has no ZRC segment');
  return Number(match[1]);
}
