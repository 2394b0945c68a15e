'use strict';

// The acceptance set of pipelines/acceptance killed at 20 seeded random fault points. A child
// process runs the whole set once to the end, printing how often it passed each fault point
// (the runner's, the table store's and the stream worker's). Then, for each of 20 passes drawn
// with a seeded generator, a new lake is built by a child killed with SIGKILL at that pass and a
// second child run to the end. Each lake must hold the same rows per table as the uninterrupted
// one. Reads the built packages, and bundles the TypeScript fixtures of test/e2e with esbuild.

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const E2E_DIR = path.resolve(__dirname, '../../e2e');
const PACKAGES_DIR = path.resolve(__dirname, '../../../packages');
const { startLoopbackSshd } = require(path.join(PACKAGES_DIR, 'sftp/dist'));

/** Kill points drawn; CARELAKE_SOAK_KILL_POINTS sets another number, such as 2 for a quick check. */
const KILL_POINTS = Number(process.env.CARELAKE_SOAK_KILL_POINTS ?? 20);
const SEED = 20260304;

/** Mulberry32: a small seeded generator, so that a failing draw can be run again. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bundle acceptance-fixtures.ts into a CommonJS module in `folder` and load it. */
async function loadFixtures(folder) {
  const outfile = path.join(folder, 'acceptance-fixtures.js');
  await esbuild.build({
    entryPoints: [path.join(E2E_DIR, 'acceptance-fixtures.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    define: { __dirname: JSON.stringify(E2E_DIR) },
    logLevel: 'silent',
  });
  // The bundle lives in a temporary folder, so its @carelake imports are found through NODE_PATH.
  process.env.NODE_PATH = path.resolve(__dirname, '../../../node_modules');
  require('node:module').Module._initPaths();
  return require(outfile);
}

function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(process.execPath, [script], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Draw one pass of one fault point, each pass of the uninterrupted run equally likely. */
function drawKill(passes, random) {
  const total = Object.values(passes).reduce((sum, count) => sum + count, 0);
  let pick = Math.floor(random() * total);
  for (const [point, count] of Object.entries(passes).sort()) {
    if (pick < count) return { point, occurrence: pick + 1 };
    pick -= count;
  }
  throw new Error('no fault point was passed');
}

async function digestLake(fixtures, root) {
  const lake = await fixtures.openAcceptanceLake(root);
  try {
    return await fixtures.digestTables(lake);
  } finally {
    await lake.close();
  }
}

async function run(log) {
  const failures = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-soak-acceptance-'));
  process.env.CARELAKE_QUERY_THREADS = '1';
  process.env.CARELAKE_QUERY_MEMORY_LIMIT = '512MB';
  const sshd = await startLoopbackSshd();
  try {
    const fixtures = await loadFixtures(work);
    const outbound = path.join(sshd.root, 'hl7v2');
    fs.cpSync(fixtures.HL7V2_SAMPLES, outbound, { recursive: true });
    const ndjsonFolder = path.join(work, 'ndjson');
    await fixtures.writeNdjsonFromBundles(ndjsonFolder);
    const script = await fixtures.bundleAcceptanceChild(work);
    const sftpKey = fs.readFileSync(sshd.privateKeyPath, 'utf8');
    const inputs = {
      sftp: { port: sshd.port, username: sshd.username, hostKeyFingerprint: sshd.hostKeyFingerprint, path: outbound },
      ndjsonFolder,
    };
    const child = (settings) => runChild(script, fixtures.childEnvironment(settings, sftpKey));

    const reference = await child({ ...inputs, lakeRoot: path.join(work, 'uninterrupted') });
    if (reference.code !== 0) return [`the uninterrupted run exited with ${reference.code}: ${reference.stderr.slice(-2000)}`];
    const { passes } = JSON.parse(reference.stdout.trim().split('\n').at(-1));
    const expected = JSON.stringify(await digestLake(fixtures, path.join(work, 'uninterrupted')));
    log(`uninterrupted run passed ${JSON.stringify(passes)}`);

    const random = seededRandom(SEED);
    for (let draw = 1; draw <= KILL_POINTS; draw++) {
      const kill = drawKill(passes, random);
      const lakeRoot = path.join(work, `kill-${draw}`);
      const killed = await child({ ...inputs, lakeRoot, kill });
      const restarted = await child({ ...inputs, lakeRoot });
      const label = `draw ${draw}: ${kill.point} pass ${kill.occurrence}`;
      if (killed.signal !== 'SIGKILL') failures.push(`${label}: the child was not killed (exit ${killed.code})`);
      if (restarted.code !== 0) failures.push(`${label}: the restarted run exited with ${restarted.code}: ${restarted.stderr.slice(-2000)}`);
      else if (JSON.stringify(await digestLake(fixtures, lakeRoot)) !== expected) failures.push(`${label}: the tables differ from the uninterrupted run's`);
      log(`${label}: ${failures.length === 0 ? 'same tables' : `${failures.length} failure(s) so far`}`);
      fs.rmSync(lakeRoot, { recursive: true, force: true });
    }
  } finally {
    await sshd.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return failures;
}

module.exports = {
  name: 'acceptance-kill-points',
  description: `the acceptance pipeline set killed at ${KILL_POINTS} seeded random fault points, each restarted to the same tables`,
  run,
};
