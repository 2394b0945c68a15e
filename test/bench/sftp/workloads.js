'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { writeLargeFile, writeSmallFiles } = require('./input');

const LARGE_FILE_NAME = 'large.bin';

/**
 * The two downloads every candidate makes: one large file, and many small
 * ones. Each lives in its own folder of the server's root, and each candidate
 * downloads it into a folder of the same name.
 */
const WORKLOADS = [
  { name: 'large', label: 'large file', folderName: 'large' },
  { name: 'small', label: 'small files', folderName: 'small' },
];

/**
 * Writes the input of both workloads under the server's `root` and returns,
 * per workload name, the remote folder and what a correct download must
 * match: SHA-256 and size of the large file, count, total bytes and manifest
 * hash of the small files.
 */
function writeWorkloadInput({ root, largeBytes, smallCount, seed }) {
  const largeFolder = path.join(root, 'large');
  const smallFolder = path.join(root, 'small');
  fs.mkdirSync(largeFolder);
  const large = writeLargeFile({
    filePath: path.join(largeFolder, LARGE_FILE_NAME),
    bytes: largeBytes,
    seed,
  });
  const small = writeSmallFiles({ folder: smallFolder, count: smallCount, seed: seed + 1 });
  return {
    large: { remoteFolder: largeFolder, expected: { count: 1, ...large } },
    small: { remoteFolder: smallFolder, expected: small },
  };
}

module.exports = { LARGE_FILE_NAME, WORKLOADS, writeWorkloadInput };
