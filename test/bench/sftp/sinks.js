'use strict';

const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

/**
 * Creates a sink that stores each file under `folder` at its safe name: it
 * streams the body to a hidden temporary file beside the target and renames
 * it into place once complete, so a failed attempt leaves no file behind.
 * Like the sftp client it is compared with, it does not fsync.
 */
function createFolderSink(folder) {
  const createdFolders = new Set();
  return async (body, entry) => {
    const target = path.join(folder, entry.safeName);
    const parent = path.dirname(target);
    if (!createdFolders.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      createdFolders.add(parent);
    }
    const temporary = path.join(parent, `.${path.basename(target)}.${randomUUID()}.part`);
    try {
      await pipeline(body, fs.createWriteStream(temporary, { flags: 'wx' }));
      await fs.promises.rename(temporary, target);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
    return target;
  };
}

/**
 * Creates a sink that puts each file into an ObjectStore under `prefix`, as
 * the pipeline's SFTP step does: one `put` of the body stream, tagged with the
 * remote name. LocalObjectStore writes a temporary file, fsyncs it, renames it
 * and fsyncs the folder, and does the same for the tags file.
 */
function createObjectStoreSink(store, prefix) {
  return async (body, entry) => {
    const result = await store.put(`${prefix}${entry.safeName}`, body, {
      tags: { remote: entry.safeName },
    });
    return result.key;
  };
}

module.exports = { createFolderSink, createObjectStoreSink };
