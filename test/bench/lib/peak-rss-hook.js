'use strict';

// Preloaded with `node --require` into a process that the bench spawns but cannot instrument,
// such as the carelake CLI. On exit, it writes the process's peak RSS in MiB to the file named by
// BENCH_PEAK_RSS_FILE, because Node.js gives a parent no resource usage of its children.

const fs = require('node:fs');

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    // maxRSS is in KiB.
    fs.writeFileSync(file, String(process.resourceUsage().maxRSS / 1024));
  });
}
