import { createLogger, loadConfig, type LoadedConfig, type Logger } from '@carelake/core';
import { openLocalLake, type Lake } from '@carelake/pipeline';
import { CliUsageError } from './errors';

export interface GlobalOptions {
  config?: string;
  lake?: string;
}

/** Load the configuration, with `--lake` taking precedence over the file and the environment. */
export function loadCliConfig(options: GlobalOptions): LoadedConfig {
  const env = { ...process.env };
  if (options.lake) env['CARELAKE_LAKE_ROOT'] = options.lake;
  const config = loadConfig({ ...(options.config ? { file: options.config } : {}), env });
  if (config.backend !== 'local') {
    throw new CliUsageError(`backend "${config.backend}" cannot run this command yet`, {
      hint: 'Set backend: local in carelake.yaml, or CARELAKE_BACKEND=local.',
    });
  }
  return config;
}

export function cliLogger(): Logger {
  return createLogger();
}

/** Open the lake, run `work`, and close the lake whatever happens. */
export async function withLake<T>(config: LoadedConfig, work: (lake: Lake) => Promise<T>): Promise<T> {
  const lake = await openLocalLake(config, { logger: cliLogger() });
  try {
    return await work(lake);
  } finally {
    await lake.close();
  }
}
