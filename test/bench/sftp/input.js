'use strict';

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { mulberry32, randomInt } = require('../lib/random');
const { manifestSha256 } = require('./verify');

const MIB = 1024 * 1024;
// Bytes generated and written per write call, so the large file is never held in memory.
const CHUNK_BYTES = 4 * MIB;
const SMALL_FILE_MIN_BYTES = 1024;
const SMALL_FILE_MAX_BYTES = 4096;

/** Fills `buffer` with the generator's next 32-bit words; its length must be a multiple of 4. */
function fillRandom(random, buffer) {
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
  for (let i = 0; i < words.length; i += 1) {
    // mulberry32 returns a 32-bit integer divided by 2^32, so this multiplication is exact.
    words[i] = random() * 4294967296;
  }
}

/**
 * Writes `bytes` pseudo-random bytes from mulberry32 `seed` to `filePath`,
 * in chunks, and returns their SHA-256 and byte count.
 */
function writeLargeFile({ filePath, bytes, seed }) {
  const random = mulberry32(seed);
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = fs.openSync(filePath, 'w');
  try {
    for (let written = 0; written < bytes;) {
      fillRandom(random, chunk);
      const length = Math.min(CHUNK_BYTES, bytes - written);
      const part = chunk.subarray(0, length);
      fs.writeSync(fd, part);
      hash.update(part);
      written += length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Writes `count` files of 1 to 4 KiB of pseudo-random bytes from mulberry32
 * `seed` into `folder`, named `file-00000.dat` upwards, and returns their
 * count, total bytes and manifest hash (see `manifestSha256`).
 */
function writeSmallFiles({ folder, count, seed }) {
  const random = mulberry32(seed);
  const digits = Math.max(5, String(count - 1).length);
  const buffer = Buffer.allocUnsafe(SMALL_FILE_MAX_BYTES);
  const files = [];
  let totalBytes = 0;

  fs.mkdirSync(folder, { recursive: true });
  for (let index = 0; index < count; index += 1) {
    const name = `file-${String(index).padStart(digits, '0')}.dat`;
    const size =
      SMALL_FILE_MIN_BYTES + randomInt(random, SMALL_FILE_MAX_BYTES - SMALL_FILE_MIN_BYTES + 1);
    fillRandom(random, buffer);
    const content = buffer.subarray(0, size);
    fs.writeFileSync(path.join(folder, name), content);
    files.push({ name, sha256: createHash('sha256').update(content).digest('hex') });
    totalBytes += size;
  }
  return { count, bytes: totalBytes, manifestSha256: manifestSha256(files) };
}

module.exports = { SMALL_FILE_MIN_BYTES, SMALL_FILE_MAX_BYTES, writeLargeFile, writeSmallFiles };
