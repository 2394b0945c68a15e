import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diffTemplates, formatTemplateChanges, readSnapshot, readSnapshotContext, synthesizeTemplates, writeSnapshot } from '@carelake/infra';
import { CliUsageError } from '../errors';

export interface DeployOptions {
  /** Repository whose carelake.yaml, pipelines/ and infra/ are deployed. */
  repositoryRoot: string;
  dryRun?: boolean;
  updateSnapshot?: boolean;
  /** Folder of the reviewed snapshot; infra/snapshot in the repository by default. */
  snapshotDir?: string;
}

/**
 * `carelake deploy --dry-run`: synthesize the CDK app with the reviewed context values of the
 * snapshot folder and print how its templates differ from the reviewed ones, without AWS.
 * Returns the exit code: 0 without changes or after `--update-snapshot`, 1 with changes.
 */
export async function runDeploy(options: DeployOptions, write: (text: string) => void): Promise<number> {
  if (!options.dryRun) {
    write('carelake deploy only runs with --dry-run. Deploy for real with npx cdk deploy --all in infra/, as infra/README.md describes.\n');
    return 0;
  }
  const snapshotDir = options.snapshotDir ?? join(options.repositoryRoot, 'infra', 'snapshot');
  if (!existsSync(join(snapshotDir, 'context.json'))) {
    throw new CliUsageError(`${snapshotDir} has no context.json`, { hint: 'Create it with the context values the reviewed snapshot is synthesized with.' });
  }
  const cdkJson = join(options.repositoryRoot, 'infra', 'cdk.json');
  const defaults = existsSync(cdkJson) ? ((JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};
  const templates = await synthesizeTemplates({ repositoryRoot: options.repositoryRoot, context: { ...defaults, ...readSnapshotContext(snapshotDir) } });

  const changes = diffTemplates(readSnapshot(snapshotDir, Object.keys(templates)), templates);
  write(formatTemplateChanges(changes));
  if (options.updateSnapshot) {
    writeSnapshot(snapshotDir, templates);
    write(`snapshot updated in ${snapshotDir}; review the template changes before committing them\n`);
    return 0;
  }
  return changes.length === 0 ? 0 : 1;
}

/** Returns the folder of carelake.yaml, or the working directory when no file was found. */
export function repositoryRootOf(configFile: string | undefined): string {
  return configFile !== undefined ? dirname(configFile) : process.cwd();
}
