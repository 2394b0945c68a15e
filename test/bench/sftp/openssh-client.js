'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const GNU_TIME = '/usr/bin/time';
const STDERR_TAIL_CHARS = 4000;

/** Quotes a path for an sftp batch file, which splits arguments on spaces. */
function quoteBatchArgument(text) {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Returns OpenSSH's version line, such as `OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026`. */
function readOpenSshVersion() {
  // `ssh -V` prints its version to stderr.
  const { stderr, error } = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  if (error) throw new Error(`ssh -V failed: ${error.message}; install openssh-client`);
  return stderr.trim();
}

/** Returns whether GNU time is installed, which measures the client's CPU time and peak RSS. */
function hasGnuTime() {
  return fs.existsSync(GNU_TIME);
}

/**
 * Runs OpenSSH's sftp client once with `commands` as its batch file and
 * resolves with its wall time. When GNU time is installed, it also resolves
 * with the CPU time of sftp and the ssh process it starts, together, and the
 * peak RSS of the larger of the two. The host key is checked against a
 * known_hosts file that contains only the server's line.
 */
function runOpenSshSftp({ server, commands, workDir, label }) {
  const batchPath = path.join(workDir, 'sftp-batch');
  const knownHostsPath = path.join(workDir, 'known_hosts');
  const timeOutputPath = path.join(workDir, 'time-output');
  fs.writeFileSync(batchPath, `${commands.join('\n')}\n`);
  fs.writeFileSync(knownHostsPath, `${server.knownHostsLine}\n`);
  fs.rmSync(timeOutputPath, { force: true });

  const sftpArgs = [
    '-q',
    // No ssh_config file, so that local settings (Compression, Ciphers) do not change the result.
    '-F',
    '/dev/null',
    '-b',
    batchPath,
    '-i',
    server.privateKeyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${knownHostsPath}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-P',
    String(server.port),
    `${server.username}@${server.host}`,
  ];
  const timed = hasGnuTime();
  const [command, args] = timed
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeOutputPath, 'sftp', ...sftpArgs]]
    : ['sftp', sftpArgs];

  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - startedAt;
      if (code !== 0) {
        const status = signal === null ? `exit code ${code}` : `signal ${signal}`;
        reject(new Error(`${label} failed (${status}):\n${stderr.trim()}`));
        return;
      }
      if (!timed) {
        resolve({ wallMs, cpuMs: null, peakRssBytes: null });
        return;
      }
      // GNU time writes the maximum RSS in kilobytes, then user and system CPU time in seconds.
      const lastLine = fs.readFileSync(timeOutputPath, 'utf8').trim().split('\n').pop();
      const [maxRssKilobytes, userSeconds, systemSeconds] = lastLine.split(' ').map(Number);
      resolve({
        wallMs,
        cpuMs: (userSeconds + systemSeconds) * 1000,
        peakRssBytes: maxRssKilobytes * 1024,
      });
    });
  });
}

module.exports = { quoteBatchArgument, readOpenSshVersion, hasGnuTime, runOpenSshSftp };
