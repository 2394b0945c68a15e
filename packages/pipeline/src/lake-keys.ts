import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, ZONES, type LoadedConfig } from '@carelake/core';
import { ENVELOPE_KEY_ID_BYTES, envelopeKeyId, KeyFileProvider, LocalObjectStore, type KeyProvider } from '@carelake/storage';

/**
 * Open the key provider that encrypts the local lake's objects, or return undefined when
 * `keys.provider` is `none`. A missing key file is created only for a lake without data,
 * because a new key cannot open what an old one wrapped.
 */
export async function openLakeKeyProvider(config: LoadedConfig): Promise<KeyProvider | undefined> {
  const keys = config.keys;
  if (keys.provider === 'none') return undefined;

  if (keys.provider === 'kms') {
    throw new ConfigError('keys.provider kms needs the aws backend', [{ keyPath: 'keys.provider', message: 'kms is not available on the local backend' }], {
      hint: 'On the local backend use `provider: file` with a key file readable by its owner only.',
    });
  }

  if (!existsSync(keys.path) && keys.createIfMissing) {
    if (await lakeContainsData(config.lakeRoot)) {
      throw new ConfigError(`key file ${keys.path} is missing and the lake at ${config.lakeRoot} already contains data`, [
        { keyPath: 'keys.path', message: 'the key that encrypted this lake is missing' },
      ], {
        hint: 'Restore the key file from its backup. A new key would not open the objects the old one encrypted.',
      });
    }
    try {
      return await KeyFileProvider.create(keys.path);
    } catch (error) {
      // Another process created the key first; both then use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return KeyFileProvider.open(keys.path);
}

async function lakeContainsData(root: string): Promise<boolean> {
  for (const zone of [...ZONES, '_state']) {
    const entries = await readdir(join(root, zone)).catch(() => [] as string[]);
    if (entries.length > 0) return true;
  }
  return false;
}

const MARKER = join('_state', 'encryption.json');

/**
 * Compare the key a lake was written under, recorded in `_state/encryption.json`, with the key
 * the configuration gives, so that a wrong or missing key fails at open with what to do, rather
 * than later as an unreadable object. The first open records it.
 */
export async function checkLakeKey(root: string, keys: KeyProvider | undefined): Promise<void> {
  const path = join(root, MARKER);
  const recorded = await readFile(path, 'utf8')
    .then((text) => (JSON.parse(text) as { keyId: string | null }).keyId)
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new ConfigError(`${path} cannot be read`, [], { cause: error, hint: 'Restore it: it records which key encrypts the lake.' });
    });

  const given = keys?.keyId ?? null;
  // A lake written before the record existed shows its key in the header of any object.
  const actual = recorded === undefined ? await keyOfFirstObject(root) : recorded;
  if (actual === undefined || actual === given) {
    if (recorded === undefined) await recordLakeKey(root, given);
    return;
  }
  const recordedKey = actual;

  if (given === null) {
    throw new ConfigError(`the lake at ${root} is encrypted under key ${recordedKey}, and carelake.yaml names no key provider`, [
      { keyPath: 'keys.provider', message: 'none, but the lake is encrypted' },
    ], { hint: 'Set keys to { provider: file, path: <the key file the lake was written with> }.' });
  }
  if (recordedKey === null) {
    throw new ConfigError(`the lake at ${root} was written without encryption, and carelake.yaml names key ${given}`, [
      { keyPath: 'keys.provider', message: 'a key is set for a lake written in plaintext' },
    ], { hint: 'Set keys.provider to none for this lake, or build an encrypted lake in a new folder from the landing files.' });
  }
  throw new ConfigError(`the lake at ${root} is encrypted under key ${recordedKey}, and keys.path gives key ${given}`, [
    { keyPath: 'keys.path', message: 'not the key that encrypted this lake' },
  ], { hint: 'Point keys.path at the key file the lake was written with; `carelake keys rotate` moves a lake to a new key.' });
}

/** Record the key that now encrypts the lake, replacing the file atomically. */
export async function recordLakeKey(root: string, keyId: string | null): Promise<void> {
  const path = join(root, MARKER);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ keyId })}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/**
 * Return the key id in the envelope header of the first data object found, null for a plaintext
 * object, or undefined when the lake has no object yet.
 */
async function keyOfFirstObject(root: string): Promise<string | null | undefined> {
  const store = new LocalObjectStore({ root });
  for (const zone of ['landing', 'raw', 'curated', 'quarantine']) {
    for await (const object of store.list({ prefix: `${zone}/` })) {
      return envelopeKeyId(await store.storedHead(object.key, ENVELOPE_KEY_ID_BYTES));
    }
  }
  return undefined;
}
