import { createLogger, loadConfig, type LoadedConfig, type Logger } from '@carelake/core';
import { openLake, type Lake } from '@carelake/pipeline';
import { CliUsageError } from './errors';

export interface GlobalOptions {
  config?: string;
  lake?: string;
}

export type Backend = LoadedConfig['backend'];

/** Backends of the commands that go through the `Catalog`, Lake Formation or Athena, which both have. */
export const ANY_BACKEND: readonly Backend[] = ['local', 'aws'];

export interface CliConfigOptions {
  /** Backends the command can run on; `local` only by default. */
  backends?: readonly Backend[];
  /** Next step printed when the backend of carelake.yaml is not one of `backends`. */
  hint?: string;
}

/**
 * Load the configuration, with `--lake` taking precedence over the file and the environment.
 * @throws CliUsageError when the configured backend is not one the command runs on.
 */
export function loadCliConfig(options: GlobalOptions, command: CliConfigOptions = {}): LoadedConfig {
  const env = { ...process.env };
  if (options.lake) env['CARELAKE_LAKE_ROOT'] = options.lake;
  const config = loadConfig({ ...(options.config ? { file: options.config } : {}), env });
  const backends = command.backends ?? ['local'];
  if (!backends.includes(config.backend)) {
    throw new CliUsageError(`backend "${config.backend}" cannot run this command yet`, {
      hint: command.hint ?? `Set backend: ${backends.join(' or ')} in carelake.yaml, or CARELAKE_BACKEND=${backends[0] ?? 'local'}.`,
    });
  }
  return config;
}

/**
 * The CLI's logger: warnings and errors only, as JSON lines on stderr, because a command prints
 * its own summary on stdout. `--verbose` or CARELAKE_LOG_LEVEL shows progress too.
 */
export function cliLogger(): Logger {
  return createLogger({ level: process.env['CARELAKE_LOG_LEVEL'] ?? 'warn' });
}

/** Open the lake on the backend of the configuration, run `work`, and close the lake whatever happens. */
export async function withLake<T>(config: LoadedConfig, work: (lake: Lake) => Promise<T>): Promise<T> {
  const lake = await openLake(config, { logger: cliLogger() });
  try {
    return await work(lake);
  } finally {
    await lake.close();
  }
}
