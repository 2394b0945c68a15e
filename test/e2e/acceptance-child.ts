// Child process of the acceptance kill-point test and soak job. It runs the acceptance set into a
// lake and, when its settings name a kill, kills itself with SIGKILL at the Nth pass of one fault
// point, as a crash would. Reads its settings as JSON from CARELAKE_ACCEPTANCE_CHILD and prints, as its last
// line, how often each fault point was passed.
import { openAcceptanceLake, runAcceptance, type AcceptanceFaultPoint, type AcceptanceInputs } from './acceptance-fixtures';

export interface AcceptanceChildSettings extends AcceptanceInputs {
  lakeRoot: string;
  /** Kill the process at the `occurrence`th (1-based) pass of `point`. */
  kill?: { point: AcceptanceFaultPoint; occurrence: number };
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env['CARELAKE_ACCEPTANCE_CHILD'] ?? '{}') as AcceptanceChildSettings;
  const passes: Partial<Record<AcceptanceFaultPoint, number>> = {};
  const onFaultPoint = (point: AcceptanceFaultPoint): void => {
    passes[point] = (passes[point] ?? 0) + 1;
    if (settings.kill?.point === point && settings.kill.occurrence === passes[point]) process.kill(process.pid, 'SIGKILL');
  };
  const lake = await openAcceptanceLake(settings.lakeRoot, onFaultPoint);
  try {
    await runAcceptance(lake, settings, onFaultPoint);
  } finally {
    await lake.close();
  }
  process.stdout.write(`${JSON.stringify({ passes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
