'use strict';

const { spawn } = require('node:child_process');

const STDERR_TAIL_CHARS = 4000;

/**
 * Runs `childPath` in its own Node.js process with `request` as its one
 * JSON argument, and resolves with the message the child sends back. Rejects
 * when the child exits without sending one, quoting the end of its stderr.
 *
 * With `cpu` set, the child starts under `taskset -c CPU` (util-linux), so
 * that it and every thread it starts (V8's GC and compiler threads, libuv's
 * pool, native libraries) share that one logical CPU.
 */
function forkChild({ childPath, request, label, execArgv = [], cpu }) {
  const nodeArgs = [...execArgv, childPath, JSON.stringify(request)];
  const [command, args] =
    cpu === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]];

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
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
