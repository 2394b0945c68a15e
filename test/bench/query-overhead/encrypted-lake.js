'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { distEntry } = require('../lib/carelake-dist');

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Write a carelake.yaml for the bench: the repository's principals and groups, with the given key
 * provider, so one run can compare a plaintext lake with an encrypted one.
 */
function writeBenchConfig({ file, keyFile }) {
  const config = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'carelake.yaml'), 'utf8'));
  config.keys = keyFile ? { provider: 'file', path: keyFile } : { provider: 'none' };
  fs.writeFileSync(file, YAML.stringify(config));
  return file;
}

/**
 * Copy a plaintext lake and encrypt every data object of the copy in place under a new key file, as
 * if the runner had written it encrypted. Each object is read through a plain store and put back
 * through an encrypting one, with its tags. Resolves with the number of objects encrypted.
 */
async function encryptLakeCopy({ source, target, keyFile }) {
  const storage = require(distEntry('storage'));
  const pipeline = require(distEntry('pipeline'));
  fs.cpSync(source, target, { recursive: true });

  const keys = await storage.KeyFileProvider.create(keyFile);
  const plain = new storage.LocalObjectStore({ root: target });
  const encrypted = new storage.LocalObjectStore({ root: target, codec: new storage.EnvelopeCodec(keys) });
  let objects = 0;
  // The catalog and the governance snapshot sit beside the objects unencrypted, because they contain no field values.
  const prefixes = ['landing/', 'raw/', 'curated/', 'quarantine/', '_state/tables/'];
  for await (const object of plain.list({ prefix: '' })) {
    if (!prefixes.some((prefix) => object.key.startsWith(prefix))) continue;
    const tags = await plain.getTags(object.key);
    await encrypted.put(object.key, await plain.getStream(object.key), { tags });
    objects += 1;
  }
  await pipeline.recordLakeKey(target, keys.keyId);
  return objects;
}

module.exports = { writeBenchConfig, encryptLakeCopy };
