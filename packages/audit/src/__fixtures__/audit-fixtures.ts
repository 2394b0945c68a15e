import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AuditEventInput } from '../event';

/** Create a fresh folder under the system temp folder; remove it with `removeTempFolder`. */
export function makeTempFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'carelake-audit-'));
}

export function removeTempFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/** Build a commit event as the table writer records it: names, counts and ids, no field values. */
export function commitEvent(commitNumber: number, principal = 'runner'): AuditEventInput {
  return {
    principal,
    action: 'table.commit',
    resources: ['clinical.encounters', `_state/tables/clinical/encounters/${commitNumber}.json`],
    outcome: 'success',
    details: { rowCount: 40 + commitNumber, commit_id: `c-${commitNumber}`, replayed: false },
  };
}

/** Read the lines of a text file, without the final empty string after the last newline. */
export async function readLines(filePath: string): Promise<string[]> {
  const text = await readFile(filePath, 'utf8');
  return text.split('\n').slice(0, -1);
}

export async function writeLines(filePath: string, lines: string[]): Promise<void> {
  await writeFile(filePath, lines.map((line) => line + '\n').join(''));
}
