'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('ssh2');
const { distEntry } = require('../lib/carelake-dist');

const { sshFingerprint } = require(distEntry('sftp'));

/**
 * Connects once with ssh2 as @carelake/sftp does, with ssh2's default
 * algorithm lists, which @carelake/sftp narrows only for host key types read
 * from a known_hosts file. Returns the server's identification string and the
 * server-to-client cipher and MAC, read from ssh2's handshake debug output.
 */
function probeSsh2Handshake(server) {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const lines = [];
    client.on('ready', () => {
      client.end();
      const find = (pattern) => {
        const match = lines.map((line) => pattern.exec(line)).find(Boolean);
        return match ? match[1] : 'unknown';
      };
      resolve({
        serverIdent: find(/^Remote ident: '(.*)'$/),
        cipher: find(/^Handshake: S->C cipher: (\S+)/),
        mac: find(/^Handshake: S->C MAC: (\S+)/),
      });
    });
    client.on('error', reject);
    client.connect({
      sock: net.createConnection({ host: server.host, port: server.port, noDelay: true }),
      username: server.username,
      privateKey: fs.readFileSync(server.privateKeyPath),
      hostVerifier: (key) => sshFingerprint(key) === server.hostKeyFingerprint,
      debug: (line) => lines.push(line),
    });
  });
}

/**
 * Runs OpenSSH's sftp client once with an empty batch file and `-v`, and
 * returns the server-to-client cipher and MAC from its `kex:` debug line.
 */
function probeOpenSshCipher(server, workDir) {
  const batchPath = path.join(workDir, 'empty-batch');
  const knownHostsPath = path.join(workDir, 'probe-known_hosts');
  fs.writeFileSync(batchPath, '');
  fs.writeFileSync(knownHostsPath, `${server.knownHostsLine}\n`);
  const { stderr, status } = spawnSync(
    'sftp',
    [
      '-v',
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
    ],
    { encoding: 'utf8' },
  );
  if (status !== 0) throw new Error(`sftp -v probe failed (exit code ${status}):\n${stderr}`);
  const match = /kex: server->client cipher: (\S+) MAC: (\S+)/.exec(stderr);
  return match ? { cipher: match[1], mac: match[2] } : { cipher: 'unknown', mac: 'unknown' };
}

module.exports = { probeSsh2Handshake, probeOpenSshCipher };
