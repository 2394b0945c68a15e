'use strict';

const { fork } = require('node:child_process');

const CHILD_PATH = require.resolve('./child');
const STDERR_TAIL_CHARS = 4000;

/**
 * Runs one candidate write in a child process and resolves with the
 * measurements it sends back. Rejects when the child exits without a result,
 * quoting the end of its stderr.
 */
function forkWrite({ writer, outputPath, rowCount, batchRows, seed }) {
  const request = { modulePath: writer.modulePath, outputPath, rowCount, batchRows, seed };

  return new Promise((resolve, reject) => {
    const child = fork(CHILD_PATH, [JSON.stringify(request)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let result = null;

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result !== null) {
        resolve(result);
        return;
      }
      const status = signal === null ? `exit code ${code}` : `signal ${signal}`;
      reject(new Error(`writer ${writer.name} failed (${status}):\n${stderr.trim()}`));
    });
  });
}

module.exports = { forkWrite };
