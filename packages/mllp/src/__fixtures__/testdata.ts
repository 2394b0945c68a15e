import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared public HL7 v2 test files, read in place and never copied into the repository. */
export const HL7_TESTDATA_DIR = resolve(__dirname, '../../../../../shared/testdata/hl7v2');

export function readHl7Fixture(name: string): Buffer {
  return readFileSync(join(HL7_TESTDATA_DIR, name));
}

/** Segments of a fixture as text, whatever terminator the file uses. */
export function readFixtureSegments(name: string): string[] {
  return readHl7Fixture(name)
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .filter((segment) => segment !== '');
}

/**
 * A fixture with some MSH fields replaced, keyed by field number (10 for MSH-10), and its
 * segments joined by CR. The fixture must use | as its field separator.
 */
export function withHeaderFields(name: string, replacements: Record<number, string>): string {
  const [msh = '', ...rest] = readFixtureSegments(name);
  // Splitting on | puts MSH-2 at index 1, so MSH-n sits at index n - 1.
  const fields = msh.split('|');
  for (const [field, value] of Object.entries(replacements)) {
    const index = Number(field) - 1;
    while (fields.length <= index) fields.push('');
    fields[index] = value;
  }
  return [fields.join('|'), ...rest].join('\r') + '\r';
}
