// Child process for the multi-process test: append-events.ts <audit folder> <principal> <count>.
import { describeError } from '@carelake/core';
import { FileAuditLog } from '../file-audit-log';
import { commitEvent } from './audit-fixtures';

async function main(): Promise<void> {
  const [dir, principal, countText] = process.argv.slice(2);
  if (!dir || !principal || !countText)
    throw new Error('usage: append-events.ts DIR PRINCIPAL COUNT');

  const log = await FileAuditLog.open({ dir });
  try {
    for (let commitNumber = 0; commitNumber < Number(countText); commitNumber += 1) {
      await log.append(commitEvent(commitNumber, principal));
    }
  } finally {
    await log.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = 1;
});
