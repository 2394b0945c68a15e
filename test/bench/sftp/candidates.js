'use strict';

const path = require('node:path');
const { distEntry } = require('../lib/carelake-dist');
const { forkChild } = require('../lib/fork-child');
const { quoteBatchArgument, runOpenSshSftp } = require('./openssh-client');
const { summarizeFolder, summarizeObjects } = require('./verify');
const { LARGE_FILE_NAME } = require('./workloads');

const CARELAKE_CHILD = require.resolve('./carelake-child');
// Shares of the listed bytes at which the carelake child records its RSS.
const RSS_FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
// Object keys of the LocalObjectStore candidate start with this prefix.
const OBJECT_PREFIX = 'landing/sftp-bench/';

function serverOf(sshd) {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKeyPath: sshd.privateKeyPath,
    hostKeyFingerprint: sshd.hostKeyFingerprint,
    knownHostsLine: sshd.knownHostsLine,
  };
}

function forkCarelake({ sshd, remoteFolder, sink, label }) {
  return forkChild({
    childPath: CARELAKE_CHILD,
    request: {
      server: serverOf(sshd),
      listing: { path: remoteFolder, patterns: ['*'] },
      sink,
      rssFractions: RSS_FRACTIONS,
    },
    label,
    execArgv: ['--expose-gc'],
  });
}

/**
 * The downloaders compared. Each `run` downloads one workload's remote folder
 * into `outputDir/<workload folder>` (or an ObjectStore rooted in
 * `outputDir`) and resolves with `{ wallMs, peakRssBytes, ... }`; each
 * `summarizeOutput` describes what it stored, for the check against the input.
 */
const CANDIDATES = [
  {
    name: 'carelake-folder',
    label: 'carelake fetchAll, folder sink',
    run: ({ sshd, workload, remoteFolder, outputDir, label }) =>
      forkCarelake({
        sshd,
        remoteFolder,
        sink: { kind: 'folder', root: path.join(outputDir, workload.folderName) },
        label,
      }),
    summarizeOutput: ({ workload, outputDir }) =>
      summarizeFolder(path.join(outputDir, workload.folderName)),
  },
  {
    name: 'carelake-store',
    label: 'carelake fetchAll, LocalObjectStore put',
    run: ({ sshd, workload, remoteFolder, outputDir, label }) =>
      forkCarelake({
        sshd,
        remoteFolder,
        sink: {
          kind: 'object-store',
          root: outputDir,
          prefix: `${OBJECT_PREFIX}${workload.folderName}/`,
        },
        label,
      }),
    summarizeOutput: ({ workload, outputDir }) => {
      const { LocalObjectStore } = require(distEntry('storage'));
      const store = new LocalObjectStore({ root: outputDir });
      return summarizeObjects(store, `${OBJECT_PREFIX}${workload.folderName}/`);
    },
  },
  {
    name: 'openssh',
    label: 'OpenSSH sftp client',
    run: ({ sshd, workload, remoteFolder, outputDir, label }) => {
      const localFolder = path.join(outputDir, workload.folderName);
      // `get -r` creates the local folder; `get` of one file needs it to exist.
      const commands =
        workload.name === 'large'
          ? [
              `lmkdir ${quoteBatchArgument(localFolder)}`,
              `get ${quoteBatchArgument(path.join(remoteFolder, LARGE_FILE_NAME))} ` +
                quoteBatchArgument(path.join(localFolder, LARGE_FILE_NAME)),
            ]
          : [`get -r ${quoteBatchArgument(remoteFolder)} ${quoteBatchArgument(localFolder)}`];
      return runOpenSshSftp({ server: serverOf(sshd), commands, workDir: outputDir, label });
    },
    summarizeOutput: ({ workload, outputDir }) =>
      summarizeFolder(path.join(outputDir, workload.folderName)),
  },
];

const BASELINE_CANDIDATE = 'openssh';

module.exports = { CANDIDATES, BASELINE_CANDIDATE, RSS_FRACTIONS };
