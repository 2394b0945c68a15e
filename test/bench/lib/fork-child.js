'use strict';

const { fork } = require('node:child_process');

const STDERR_TAIL_CHARS = 4000;

/**
 * Runs `childPath` in its own Node.js process with `request` as its one
 * JSON argument, and resolves with the message the child sends back. Rejects
 * when the child exits without sending one, quoting the end of its stderr.
 */
function forkChild({ childPath, request, label, execArgv = [] }) {
  return new Promise((resolve, reject) => {
    const child = fork(childPath, [JSON.stringify(request)], {
      execArgv,
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
      reject(new Error(`${label} failed (${status}):\n${stderr.trim()}`));
    });
  });
}

module.exports = { forkChild };
