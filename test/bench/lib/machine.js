'use strict';

const os = require('node:os');

const GIB = 1024 ** 3;

/** Describes the machine a benchmark ran on, as label and value pairs. */
function describeMachine() {
  const cpus = os.cpus();
  return [
    ['CPU', cpus.length > 0 ? cpus[0].model.trim() : 'unknown'],
    ['Logical cores', String(cpus.length)],
    ['Memory', `${(os.totalmem() / GIB).toFixed(1)} GiB`],
    ['Node.js', process.version],
    ['OS', `${os.type()} ${os.release()} (${os.arch()})`],
  ];
}

/**
 * Formats the 1, 5 and 15 minute load averages. Other processes on a shared
 * machine show up here and slow every candidate's wall time.
 */
function describeLoadAverage() {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

module.exports = { describeMachine, describeLoadAverage };
