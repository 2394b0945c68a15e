'use strict';

// Preloaded with `node --require` into a carelake CLI process by the
// query-overhead bench: it adds up the time spent in top-level require calls
// and prints it as JSON on stderr when the process exits.

const Module = require('node:module');
const { performance } = require('node:perf_hooks');

const load = Module._load;
let depth = 0;
let requireMs = 0;

Module._load = function timedLoad(...args) {
  const started = performance.now();
  depth += 1;
  try {
    return load.apply(this, args);
  } finally {
    depth -= 1;
    if (depth === 0) requireMs += performance.now() - started;
  }
};

process.on('exit', () => {
  process.stderr.write(`${JSON.stringify({ requireMs })}\n`);
});
