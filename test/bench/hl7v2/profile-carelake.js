#!/usr/bin/env node
'use strict';

// Profiles @carelake/hl7v2 on the hl7v2-parse messages with `node --cpu-prof`
// and prints the functions that take the most time. Usage:
//   node test/bench/hl7v2/profile-carelake.js [string|bytes] [parse|parse-extract] [SECONDS]
// The profile runs in a child process and is written to a temporary folder,
// which is removed afterwards.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkCarelakeHl7v2Built } = require('./carelake-dist');
const { summarizeCpuProfile } = require('../lib/profile-summary');

const INPUTS = { string: './parsers/carelake', bytes: './parsers/carelake-bytes' };
const MODES = ['parse', 'parse-extract'];
const TOP_FUNCTIONS = 25;
const MESSAGE_COUNT = 1000;
const SEED = 20240101;

// The loop the child profiles: whole passes over the messages until the time is up.
function profileLoop({ modulePath, mode, durationMs }) {
  const { generateOruMessages } = require('./oru-messages');
  const parser = require(modulePath);
  const prepare = parser.prepare ?? ((text) => text);
  const inputs = generateOruMessages({ count: MESSAGE_COUNT, seed: SEED }).map((message) =>
    prepare(message.text),
  );
  const run =
    mode === 'parse'
      ? (input) => parser.parse(input)
      : (input) => parser.extract(parser.parse(input));
  const startedAt = Date.now();
  let messageCount = 0;
  while (Date.now() - startedAt < durationMs) {
    for (const input of inputs) run(input);
    messageCount += inputs.length;
  }
  process.stdout.write(`${messageCount} messages in ${Date.now() - startedAt} ms\n`);
}

function printTop(title, entries) {
  process.stdout.write(`\n${title}\n`);
  for (const { name, percent } of entries.slice(0, TOP_FUNCTIONS)) {
    process.stdout.write(`${percent.toFixed(1).padStart(6)}%  ${name}\n`);
  }
}

function main() {
  const [input = 'string', mode = 'parse', seconds = '5'] = process.argv.slice(2);
  if (!(input in INPUTS) || !MODES.includes(mode) || !(Number(seconds) > 0)) {
    process.stderr.write(
      'usage: profile-carelake.js [string|bytes] [parse|parse-extract] [SECONDS]\n',
    );
    process.exitCode = 2;
    return;
  }
  checkCarelakeHl7v2Built();

  const request = { modulePath: require.resolve(INPUTS[input]), mode, durationMs: seconds * 1000 };
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-hl7v2-profile-'));
  try {
    const script = `require(${JSON.stringify(__filename)}).profileLoop(${JSON.stringify(request)})`;
    const child = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', profileDir, '-e', script],
      { stdio: 'inherit' },
    );
    if (child.status !== 0)
      throw new Error(`the profiled child failed with exit code ${child.status}`);

    const [profileFile] = fs.readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
    const profile = JSON.parse(fs.readFileSync(path.join(profileDir, profileFile), 'utf8'));
    const summary = summarizeCpuProfile(profile);
    printTop(`Self time, % of samples (${input}, ${mode})`, summary.self);
    printTop(`Total time including callees, % of samples (${input}, ${mode})`, summary.total);
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

if (require.main === module) main();

module.exports = { profileLoop };
