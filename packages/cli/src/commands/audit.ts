import { join } from 'node:path';
import type { LoadedConfig } from '@carelake/core';
import { formatAuditProblem, verifyAuditLog } from '@carelake/audit';

/** Verify every segment of the lake's audit chain; returns the process exit code. */
export async function verifyAudit(config: LoadedConfig, write: (text: string) => void): Promise<number> {
  const result = await verifyAuditLog(join(config.lakeRoot, '_audit'));
  if (result.ok) {
    write(`audit log ok: ${result.events} event(s) in ${result.segments} segment(s)`);
    return 0;
  }
  write(`audit log broken: ${result.firstBreak ? formatAuditProblem(result.firstBreak) : 'no detail'}`);
  for (const problem of result.problems.slice(1)) write(`  also ${formatAuditProblem(problem)}`);
  return 1;
}
