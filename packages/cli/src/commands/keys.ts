import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, resolvePrincipal, type LoadedConfig } from '@carelake/core';
import { recordLakeKey } from '@carelake/pipeline';
import { KeyFileProvider, LocalObjectStore, rotateStoreKeys } from '@carelake/storage';
import { withLake } from '../context';
import { CliUsageError } from '../errors';

/** Create the key file that carelake.yaml names, for a lake that has no data yet. */
export async function createKeyFile(config: LoadedConfig, write: (text: string) => void): Promise<void> {
  const keys = fileKeysOf(config);
  if (existsSync(keys.path)) {
    throw new CliUsageError(`key file ${keys.path} exists already`, { hint: 'Keep it; a lake written under it needs it to be read.' });
  }
  const provider = await KeyFileProvider.create(keys.path);
  write(`created key ${provider.keyId} in ${keys.path} (mode 600). Back it up apart from the lake: without it the lake cannot be read.`);
}

/**
 * Move every object of the lake to a new key-encryption key by rewrapping its data key. The old
 * key stays in force until the last object is done, so an interrupted rotation is finished by
 * running the same command again.
 */
export async function rotateLakeKey(config: LoadedConfig, newKeyFile: string, write: (text: string) => void): Promise<void> {
  const principal = resolvePrincipal(config);
  if (principal.role !== 'admin') {
    throw new CliUsageError(`principal ${principal.name} may not rotate the lake's key`, { hint: 'Run it as an admin principal.' });
  }
  fileKeysOf(config);
  const target = resolve(newKeyFile);
  const next = existsSync(target) ? await KeyFileProvider.open(target) : await KeyFileProvider.create(target);

  await withLake(config, async (lake) => {
    if (!lake.keys || !(lake.store instanceof LocalObjectStore)) throw new CliUsageError('the lake is not encrypted under a key file');
    if (lake.keys.keyId === next.keyId) throw new CliUsageError(`${target} contains the key the lake already uses (${next.keyId})`);

    const result = await rotateStoreKeys(lake.store, lake.keys, next);
    await recordLakeKey(lake.root, next.keyId);
    await lake.audit.append({
      principal: principal.name,
      action: 'keys.rotate',
      resources: [],
      outcome: 'success',
      details: { from: lake.keys.keyId, to: next.keyId, rewrapped: result.rewrapped, alreadyRotated: result.alreadyRotated, notEncrypted: result.notEncrypted },
    });
    write(`rewrapped ${result.rewrapped} object(s) from ${lake.keys.keyId} to ${next.keyId}; ${result.alreadyRotated} were done by an earlier run.`);
    write(`Now set keys.path to ${target} in carelake.yaml. Keep the old key until the lake's backups taken under it have expired.`);
  });
}

function fileKeysOf(config: LoadedConfig): { path: string } {
  if (config.keys.provider !== 'file') {
    throw new ConfigError(`keys.provider is ${config.keys.provider}; key files need provider file`, [
      { keyPath: 'keys.provider', message: 'must be file for this command' },
    ]);
  }
  return config.keys;
}
