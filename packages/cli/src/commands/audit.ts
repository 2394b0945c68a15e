import { join } from 'node:path';
import type { LoadedConfig } from '@carelake/core';
import { verifyAuditLog } from '@carelake/audit';

/** Verify every segment of the lake's audit chain; returns the process exit code. */
export async function verifyAudit(config: LoadedConfig, write: (text: string) => void): Promise<number> {
  const result = await verifyAuditLog(join(config.lakeRoot, '_audit'));
  if (result.ok) {
    write(`audit log ok: ${result.events} event(s) in ${result.segments} segment(s)`);
    return 0;
  }
  const at = result.firstBreak;
  write(
    at
      ? `audit log broken: segment ${at.segment} line ${at.line}: ${at.reason}`
      : 'audit log broken',
  );
  for (const problem of result.problems.slice(1)) write(`  also: ${JSON.stringify(problem)}`);
  return 1;
}
