#!/usr/bin/env node
'use strict';

// Start a throwaway SFTP server on 127.0.0.1 for trying an SFTP pipeline before a partner's
// server is ready, print the `source:` block that reaches it, and stop it on Ctrl-C.
// Usage: node scripts/sftp-sandbox.js   (needs the workspace built and /usr/sbin/sshd)

const path = require('node:path');

const USAGE = [
  'Usage: node scripts/sftp-sandbox.js',
  '',
  'Starts a throwaway SFTP server on 127.0.0.1 with its own keys, prints the pipeline',
  '`source:` block that reaches it, and runs in the foreground until Ctrl-C, which stops it',
  'and removes its folder. Needs the workspace built and OpenSSH at /usr/sbin/sshd.',
  '',
].join('\n');

async function main() {
  if (process.argv.length > 2) {
    const help = ['-h', '--help'].includes(process.argv[2]);
    process.stdout.write(USAGE);
    process.exit(help ? 0 : 2);
  }
  const { startLoopbackSshd } = require(path.join(__dirname, '..', 'packages', 'sftp', 'dist'));
  const sshd = await startLoopbackSshd();
  const drop = path.join(sshd.root, 'outbox');
  require('node:fs').mkdirSync(drop, { recursive: true });

  process.stdout.write(
    [
      `SFTP server on ${sshd.host}:${sshd.port}; put files to ingest in ${drop}`,
      '',
      'source:',
      '  type: sftp',
      `  host: ${sshd.host}`,
      `  port: ${sshd.port}`,
      `  username: ${sshd.username}`,
      `  path: ${drop}`,
      `  hostKey: "${sshd.hostKeyFingerprint}"`,
      `  privateKey: "file:${sshd.privateKeyPath}"`,
      '',
      'Ctrl-C stops the server and removes its folder, files included.',
      '',
    ].join('\n'),
  );

  const stop = async () => {
    await sshd.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`sftp-sandbox: ${error.message}\n`);
  process.exit(1);
});
