'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkPackageBuilt, distEntry, describePackageSource } = require('../lib/carelake-dist');
const { packageVersion } = require('../lib/package-version');
const { CANDIDATES, BASELINE_CANDIDATE } = require('../sftp/candidates');
const { probeOpenSshCipher, probeSsh2Handshake } = require('../sftp/ciphers');
const { hasGnuTime, readOpenSshVersion } = require('../sftp/openssh-client');
const {
  COLUMNS,
  LARGE_FILE_TIME_TARGET,
  summarizeRuns,
  formatRows,
  describeLargeFileMemory,
  describeTimeTarget,
} = require('../sftp/results');
const { findMismatches } = require('../sftp/verify');
const { WORKLOADS, writeWorkloadInput } = require('../sftp/workloads');
const { barsFrom } = require('../lib/chart-panels');
const { columnOf, numberIn } = require('../lib/results-page');

const MIB = 1024 * 1024;
const DEFAULT_MIB = 1024;
const DEFAULT_FILES = 10_000;
const DEFAULT_RUNS = 3;
const SEED = 20240101;
const PACKAGES = ['core', 'storage', 'sftp'];

/**
 * Runs one candidate on one workload, checks what it stored against the
 * input, and returns its measurement. Its output is removed afterwards, so
 * that at most one copy of the input sits on disk besides the server's.
 */
async function measureOnce({ sshd, workload, input, candidate, workDir, label }) {
  const outputDir = fs.mkdtempSync(path.join(workDir, `${candidate.name}-`));
  try {
    const context = { sshd, workload, remoteFolder: input.remoteFolder, outputDir, label };
    const measurement = await candidate.run(context);
    const problems = [];
    if (measurement.failed > 0) {
      problems.push(
        `${measurement.failed} file(s) failed: ${measurement.failureReasons.join('; ')}`,
      );
    }
    if (measurement.downloaded !== undefined && measurement.downloaded !== input.expected.count) {
      problems.push(
        `fetchAll downloaded ${measurement.downloaded} of ${input.expected.count} files`,
      );
    }
    problems.push(...findMismatches(input.expected, await candidate.summarizeOutput(context)));
    if (problems.length > 0) {
      throw new Error(
        `${label}: the download does not match the input:\n  ${problems.join('\n  ')}`,
      );
    }
    return measurement;
  } finally {
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

async function measureAllRuns({ sshd, inputs, runs, workDir, onProgress }) {
  const measurements = new Map();
  const key = (workload, candidate) => `${workload.name}/${candidate.name}`;
  for (const workload of WORKLOADS) {
    for (const candidate of CANDIDATES) measurements.set(key(workload, candidate), []);
  }

  // Runs are interleaved across candidates, so that a slow spell on the
  // machine does not fall on one candidate's runs only.
  for (let run = 1; run <= runs; run += 1) {
    for (const workload of WORKLOADS) {
      for (const candidate of CANDIDATES) {
        const label = `${candidate.label}, ${workload.label}, run ${run}/${runs}`;
        onProgress(label);
        const measurement = await measureOnce({
          sshd,
          workload,
          input: inputs[workload.name],
          candidate,
          workDir,
          label,
        });
        measurements.get(key(workload, candidate)).push(measurement);
      }
    }
  }

  return WORKLOADS.flatMap((workload) =>
    CANDIDATES.map((candidate) =>
      summarizeRuns({
        workload,
        candidate,
        expected: inputs[workload.name].expected,
        measurements: measurements.get(key(workload, candidate)),
      }),
    ),
  );
}

function describeCipher({ cipher, mac }) {
  return mac === '<implicit>' ? cipher : `${cipher} with ${mac}`;
}

function describeSettings({ sftpDist, ciphers }) {
  const libraries = ['ssh2', 'ssh2-sftp-client']
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  return [
    `@carelake/sftp from packages/sftp/dist, built from ${describePackageSource('sftp')}; ` +
      `${libraries}. sftp client: ${readOpenSshVersion()}.`,
    `Server: \`startLoopbackSshd()\`, OpenSSH sshd (${ciphers.ssh2.serverIdent}) on 127.0.0.1 ` +
      'with its internal-sftp subsystem and an ed25519 host key, started once for the whole run.',
    `Ciphers negotiated with each client's defaults: ssh2 ${describeCipher(ciphers.ssh2)}, ` +
      `OpenSSH sftp ${describeCipher(ciphers.openssh)}. No compression.`,
    `carelake: \`connectSftp\` with the pinned host key fingerprint, then \`fetchAll\` over the ` +
      `workload's folder with the default concurrency (${sftpDist.DEFAULT_FETCH_CONCURRENCY}) and ` +
      `maxConnections (${sftpDist.DEFAULT_MAX_CONNECTIONS}). The two stability listings are ` +
      'taken back to back (`stability.intervalMs` 0) instead of 5 s apart. Every file is hashed ' +
      'with SHA-256 and its size checked on the way, as in every fetch.',
    'Folder sink: each file streams to a hidden temporary file beside its target, which is ' +
      'renamed into place when complete; no fsync, like the sftp client. LocalObjectStore sink: ' +
      '`put` of the body stream with a `remote` tag, as the pipeline lands SFTP files; the store ' +
      'fsyncs the object, its tags file and their folders. The pipeline then copies each object ' +
      'into landing/, which is not timed here.',
    'OpenSSH sftp client: `sftp -b BATCH -F /dev/null -i KEY -o IdentitiesOnly=yes ' +
      '-o UserKnownHostsFile=FILE -o StrictHostKeyChecking=yes -P PORT USER@127.0.0.1`, with its ' +
      'default 64 outstanding requests of 32 KiB. `get` of the large file, `get -r` of the ' +
      'small files folder.',
    'Wall time: carelake from `connectSftp` to `close()` resolving, in a fresh child process ' +
      'per run, loading the packages outside it; the sftp client from spawn to exit. Both ' +
      'include the SSH handshake and login. Listing: carelake from the start to the end of ' +
      'both listings.',
    'Peak RSS and CPU: carelake the child’s `resourceUsage().maxRSS`, which includes Node.js ' +
      'itself, and its `cpuUsage()` over the timed region, every thread counted. ' +
      (hasGnuTime()
        ? 'sftp client: GNU time’s maximum RSS, of the larger of sftp and the ssh process it ' +
          'starts, and their user and system CPU time together. The server’s CPU time is in neither.'
        : 'sftp client: not measured, because GNU time (/usr/bin/time) is not installed.'),
    'Every download is checked before it counts: SHA-256 and size of the large file; count, ' +
      'total bytes and a manifest hash (name and SHA-256 of each file) of the small files, read ' +
      'back from the folder or through the LocalObjectStore.',
  ];
}

/**
 * Downloads the same large file and the same small files from a loopback
 * OpenSSH server with carelake's `fetchAll`, into a folder and into a
 * LocalObjectStore, and with OpenSSH's sftp client. Returns wall time,
 * throughput, CPU time and peak RSS, with ratios to the sftp client. Throws
 * when a download does not match the input.
 */
async function run({
  mib = DEFAULT_MIB,
  files = DEFAULT_FILES,
  runs = DEFAULT_RUNS,
  onProgress = () => {},
}) {
  for (const name of PACKAGES) checkPackageBuilt(name);
  const sftpDist = require(distEntry('sftp'));

  const sshd = await sftpDist.startLoopbackSshd();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-bench-sftp-'));
  try {
    onProgress(`writing a ${mib} MiB file and ${files} small files into the server's folder`);
    const inputs = writeWorkloadInput({
      root: sshd.root,
      largeBytes: mib * MIB,
      smallCount: files,
      seed: SEED,
    });
    const ciphers = {
      ssh2: await probeSsh2Handshake(sshd),
      openssh: probeOpenSshCipher(sshd, workDir),
    };

    const summaries = await measureAllRuns({ sshd, inputs, runs, workDir, onProgress });
    const targetNote = describeTimeTarget(summaries, 'carelake-folder', BASELINE_CANDIDATE);
    const small = inputs.small.expected;

    return {
      input:
        `one file of ${mib.toLocaleString('en-US')} MiB, and ${files.toLocaleString('en-US')} ` +
        `files of 1 to 4 KiB (${(small.bytes / MIB).toFixed(1)} MiB in all), pseudo-random ` +
        `bytes from mulberry32 seeds ${SEED} and ${SEED + 1}, served from the local disk ` +
        `(page cache). Runs per candidate and workload: ${runs}.`,
      settings: describeSettings({ sftpDist, ciphers }),
      columns: COLUMNS,
      rows: formatRows(summaries, BASELINE_CANDIDATE),
      notes: [
        'Ratios divide each candidate’s median wall time by the sftp client’s on the same ' +
          'workload. Below 1 is faster.',
        targetNote,
        ...describeLargeFileMemory(summaries),
      ],
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    await sshd.stop();
  }
}

/** Returns the chart panels of a results table of this bench, for the streams-sftp family chart. */
function charts(table) {
  const workloads = [...new Set(columnOf(table, 'Workload'))];
  const panel = (title, unit, value, ratio) => ({
    title,
    unit,
    higherIsBetter: false,
    groups: workloads.map((workload) =>
      barsFrom(table, {
        groupLabel: workload,
        keep: (row) => row[0] === workload,
        label: 'Candidate',
        value,
        ...(ratio ? { ratio } : {}),
      }),
    ),
  });
  return [
    {
      ...panel('wall time per download', 's', 'Wall time, s (median)', 'Time vs sftp client'),
      note: 'Ratios: to the OpenSSH sftp client.',
    },
    panel('peak RSS of each candidate’s process', 'MiB', 'Peak RSS, MiB'),
  ];
}

/** Returns the target, the result and whether it was met, for the index of results. */
function assess(table) {
  const ratios = columnOf(table, 'Time vs sftp client');
  const candidates = columnOf(table, 'Candidate');
  const at = candidates.findIndex(
    (name, index) => name.includes('folder sink') && table.rows[index][0] === 'large file',
  );
  const ratio = numberIn(ratios[at]);
  return {
    target: `fetchAll into a folder within ${LARGE_FILE_TIME_TARGET}x the sftp client's time on the large file`,
    result: `${ratio.toFixed(2)}x`,
    met: ratio <= LARGE_FILE_TIME_TARGET,
  };
}

module.exports = {
  name: 'sftp',
  description:
    'Downloads one large file and many small files from a loopback OpenSSH server with ' +
    '@carelake/sftp’s `fetchAll` (into a folder, and into a LocalObjectStore as the pipeline ' +
    'does) and with OpenSSH’s own sftp client, and compares them to the sftp client.',
  run,
  charts,
  assess,
};
