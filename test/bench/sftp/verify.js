'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

/**
 * Hashes a list of `{ name, sha256 }`: SHA-256 of `name<TAB>sha256<LF>` lines
 * sorted by name. Two folders with the same names and contents have the same
 * manifest hash, so one value checks every small file.
 */
function manifestSha256(files) {
  // The default sort compares UTF-16 code units, so the order does not depend on the locale.
  const lines = files.map((file) => `${file.name}\t${file.sha256}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** Streams `readable` through SHA-256 and returns the hex digest and byte count. */
async function hashStream(readable) {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(readable, async function* count(chunks) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}

/** Returns the SHA-256 and size of one local file, read as a stream. */
function summarizeFile(filePath) {
  return hashStream(fs.createReadStream(filePath, { highWaterMark: 1024 * 1024 }));
}

/**
 * Describes a list of `{ name, sha256, bytes }`: count, total bytes, manifest
 * hash, and `sha256`, the hash of the only file when there is exactly one.
 */
function describeFiles(files) {
  return {
    count: files.length,
    bytes: files.reduce((total, file) => total + file.bytes, 0),
    manifestSha256: manifestSha256(files),
    sha256: files.length === 1 ? files[0].sha256 : undefined,
  };
}

/** Describes the files below `folder` with `describeFiles`. */
async function summarizeFolder(folder) {
  const files = [];
  const entries = fs.readdirSync(folder, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const filePath = path.join(entry.parentPath ?? entry.path, entry.name);
    files.push({ name: path.relative(folder, filePath), ...(await summarizeFile(filePath)) });
  }
  return describeFiles(files);
}

/**
 * Describes the objects under `prefix` in an ObjectStore with `describeFiles`,
 * reading them back through the store, with names relative to the prefix.
 */
async function summarizeObjects(store, prefix) {
  const files = [];
  for await (const object of store.list({ prefix })) {
    const summary = await hashStream(await store.getStream(object.key));
    files.push({ name: object.key.slice(prefix.length), ...summary });
  }
  return describeFiles(files);
}

/** Lists each field of `expected` that `actual` does not match, as readable lines. */
function findMismatches(expected, actual) {
  return Object.keys(expected)
    .filter((field) => expected[field] !== actual[field])
    .map((field) => `${field}: expected ${expected[field]}, found ${actual[field]}`);
}

module.exports = {
  manifestSha256,
  summarizeFile,
  summarizeFolder,
  summarizeObjects,
  findMismatches,
};
