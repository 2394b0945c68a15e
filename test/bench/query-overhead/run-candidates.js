'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'bin', 'carelake.js');
const DIRECT_CHILD = path.join(__dirname, 'direct-child.js');
const REQUIRE_TIME_HOOK = path.join(__dirname, 'require-time.js');
const PEAK_RSS_HOOK = path.join(__dirname, '..', 'lib', 'peak-rss-hook.js');
const STDERR_TAIL_CHARS = 4000;

/** Engine limits both candidates run with. */
const THREADS = 2;
const MEMORY_LIMIT = '2GB';

/**
 * Runs a process to its end and resolves with its wall time from spawn to exit,
 * its standard output, the end of its stderr and its peak RSS in MiB. Rejects
 * when it exits with an error, quoting the end of its stderr.
 */
function timeProcess({ args, env, label }) {
  const rssFile = path.join(
    os.tmpdir(),
    `carelake-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', PEAK_RSS_HOOK, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, BENCH_PEAK_RSS_FILE: rssFile },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr
      .setEncoding('utf8')
      .on('data', (text) => (stderr = (stderr + text).slice(-STDERR_TAIL_CHARS)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - started;
      const peakRssMiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
      fs.rmSync(rssFile, { force: true });
      if (code === 0) {
        resolve({ wallMs, stdout, stderr, peakRssMiB });
        return;
      }
      const status = signal === null ? `exit code ${code}` : `signal ${signal}`;
      reject(new Error(`${label} failed (${status}):\n${stderr.trim()}`));
    });
  });
}

/** Read the duration the engine recorded in the newest `query.run` audit event of the lake. */
async function lastQueryDurationMs(lakeRoot) {
  const { readAuditEvents } = require(distEntry('audit'));
  let last;
  for await (const event of readAuditEvents(path.join(lakeRoot, '_audit'), { action: 'query.run' }))
    last = event;
  return last.details.durationMs;
}

/**
 * `carelake query` as an analyst runs it: the CLI process over the lake, CSV
 * to standard output. `queryMs` is the engine's own measure from its audit
 * event: from starting the query to writing the last row.
 */
async function runCarelake({ lakeRoot, configFile, sql, label }) {
  const run = await timeProcess({
    args: [CLI, '--config', configFile, '--lake', lakeRoot, 'query', sql, '--as', 'admin', '--format', 'csv'],
    env: {
      CARELAKE_QUERY_THREADS: String(THREADS),
      CARELAKE_QUERY_MEMORY_LIMIT: MEMORY_LIMIT,
      CARELAKE_LOG_LEVEL: 'warn',
    },
    label,
  });
  return { ...run, queryMs: await lastQueryDurationMs(lakeRoot) };
}

/**
 * Run `carelake query` once with a hook that adds up the time spent loading
 * modules, and resolve with that time. Not a timed run: the hook slows loading a little.
 */
async function measureCarelakeRequireMs({ lakeRoot, configFile, sql }) {
  const run = await timeProcess({
    args: [
      '--require',
      REQUIRE_TIME_HOOK,
      CLI,
      '--config',
      configFile,
      '--lake',
      lakeRoot,
      'query',
      sql,
      '--as',
      'admin',
      '--format',
      'csv',
    ],
    env: {
      CARELAKE_QUERY_THREADS: String(THREADS),
      CARELAKE_QUERY_MEMORY_LIMIT: MEMORY_LIMIT,
      CARELAKE_LOG_LEVEL: 'warn',
    },
    label: 'carelake with the require hook',
  });
  return JSON.parse(run.stderr.trim().split('\n').at(-1)).requireMs;
}

/** DuckDB alone in a Node.js process, given the same files; `queryMs` is the child's own measure. */
async function runDirect({ tables, sql, label }) {
  const request = { tables, sql, threads: THREADS, memoryLimit: MEMORY_LIMIT };
  const run = await timeProcess({ args: [DIRECT_CHILD, JSON.stringify(request)], env: {}, label });
  const lastLine = run.stderr.trim().split('\n').at(-1);
  return { ...run, queryMs: JSON.parse(lastLine).queryMs };
}

module.exports = { runCarelake, runDirect, measureCarelakeRequireMs, THREADS, MEMORY_LIMIT };
