import type { Command } from 'commander';
import { resolvePrincipal } from '@carelake/core';
import { loadCliConfig, type GlobalOptions } from '../context';
import { applyAwsLifecycle, bucketClient, checkAwsLifecycle, loadBucketConfig, planAwsLifecycle } from './lifecycle-aws';
import { lifecyclePrincipal, listHolds, placeHold, releaseHold, reportLifecycle, runLifecycle } from './lifecycle-local';
import type { LifecycleSources } from './lifecycle-sources';

type Write = (text: string) => void;

function sourceOptions(command: Command): Command {
  return command
    .option('--policies <dir>', 'folder of *.lifecycle.yaml files (default: pipelines/policies beside carelake.yaml)')
    .option('--datasets <dir>', 'folder of *.dataset.yaml files (default: datasets beside the policies folder)');
}

/** Adds `carelake lifecycle`: local tiering and expiry, the cost report, legal holds, and the bucket's lifecycle rules. */
export function addLifecycleCommands(program: Command, globals: () => GlobalOptions, write: Write): void {
  const lifecycle = program
    .command('lifecycle')
    .description('Tier, expire and hold the lake\'s data by the policies of pipelines/policies/*.lifecycle.yaml.');

  sourceOptions(lifecycle.command('run'))
    .description('Move partitions between the tiers of storage.tiers and expire those past retention, unless held; local backend.')
    .option('--dry-run', 'print what would move and expire, and change nothing')
    .option('--as <principal>', 'principal the run is recorded under (default: defaults.principal, else runner)')
    .action(async (options: LifecycleSources & { dryRun?: boolean; as?: string }) => {
      const config = loadCliConfig(globals());
      await runLifecycle(config, options, { dryRun: options.dryRun ?? false, principal: lifecyclePrincipal(config, options.as) }, write);
    });

  sourceOptions(lifecycle.command('report'))
    .description('Print bytes and estimated monthly cost per dataset and tier, with the saving against keeping all in STANDARD, and write a JSON report and an SVG chart of bytes per tier over time.')
    .option('--out <dir>', 'folder to write lifecycle-report.json and tier-bytes.svg to', 'lifecycle-report')
    .option('--prices <file>', 'storage price file, USD per GB-month per class (default: storage-prices.yaml in the policies folder)')
    .action(async (options: LifecycleSources & { out: string; prices?: string }) => {
      await reportLifecycle(loadCliConfig(globals()), options, options, write);
    });

  sourceOptions(lifecycle.command('plan'))
    .description('Show how the lifecycle configuration of the bucket aws.bucket differs from the policies.')
    .action(async (options: LifecycleSources) => {
      const config = loadBucketConfig(globals());
      await planAwsLifecycle(config, options, bucketClient(config), write);
    });
  sourceOptions(lifecycle.command('apply'))
    .description('Write the policies as the lifecycle configuration of the bucket aws.bucket; rules of other owners are kept.')
    .action(async (options: LifecycleSources) => {
      const config = loadBucketConfig(globals());
      await applyAwsLifecycle(config, options, bucketClient(config), write);
    });
  sourceOptions(lifecycle.command('check'))
    .description('Report carelake rules of the bucket changed or removed by hand; exits 1 on drift, for monitoring.')
    .action(async (options: LifecycleSources) => {
      const config = loadBucketConfig(globals());
      process.exitCode = await checkAwsLifecycle(config, options, bucketClient(config), write);
    });

  const hold = lifecycle.command('hold').description('Place, release and list legal holds; held data is never expired.');
  hold
    .command('place')
    .description('Hold a table, one partition of it, or every partition with a patient\'s rows. Needs an admin.')
    .requiredOption('--table <name>', 'table to hold, database.table')
    .option('--partition <path>', 'Hive-style partition path, such as start_month=2024-03')
    .option('--patient <key>', 'patient_key whose partitions to hold')
    .requiredOption('--reason <text>', 'matter or case that requires the hold')
    .option('--as <principal>', 'principal placing the hold (default: CARELAKE_PRINCIPAL or defaults.principal)')
    .action(async (options: { table: string; partition?: string; patient?: string; reason: string; as?: string }) => {
      const config = loadCliConfig(globals());
      await placeHold(config, options, resolvePrincipal(config, options.as), write);
    });
  hold
    .command('release <id>')
    .description('Release a legal hold, so its data may expire. Needs an admin.')
    .requiredOption('--reason <text>', 'why the hold may end, such as the matter being closed')
    .option('--as <principal>', 'principal releasing the hold (default: CARELAKE_PRINCIPAL or defaults.principal)')
    .action(async (id: string, options: { reason: string; as?: string }) => {
      const config = loadCliConfig(globals());
      await releaseHold(config, id, options.reason, resolvePrincipal(config, options.as), write);
    });
  hold
    .command('list')
    .description('List the legal holds, in force first.')
    .action(async () => {
      await listHolds(loadCliConfig(globals()), write);
    });
}
