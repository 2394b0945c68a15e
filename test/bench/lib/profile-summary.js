'use strict';

const path = require('node:path');

function describeFrame({ functionName, url, lineNumber }) {
  const file = url === '' ? '' : ` ${path.basename(url)}:${lineNumber + 1}`;
  return `${functionName === '' ? '(anonymous)' : functionName}${file}`;
}

/**
 * Returns the samples taken at or after `fromMicros`, on the clock of the
 * profile's timestamps (the monotonic clock of `process.hrtime`, in
 * microseconds).
 */
function samplesFrom(profile, fromMicros) {
  const samples = [];
  let timestamp = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    timestamp += profile.timeDeltas[index];
    if (timestamp >= fromMicros) samples.push(nodeId);
  });
  return samples;
}

/**
 * Sums the samples of a V8 .cpuprofile by function: self time is where the
 * sample landed, total time also counts the samples of everything it called.
 * A recursive function counts once per sample. With `fromMicros`, samples
 * taken before that time are left out. Returns percentages of the samples
 * counted, highest first.
 */
function summarizeCpuProfile(profile, { fromMicros } = {}) {
  const samples = fromMicros === undefined ? profile.samples : samplesFrom(profile, fromMicros);
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentIds = new Map();
  for (const node of profile.nodes) {
    for (const childId of node.children ?? []) parentIds.set(childId, node.id);
  }

  const samplesByNode = new Map();
  for (const nodeId of samples) {
    samplesByNode.set(nodeId, (samplesByNode.get(nodeId) ?? 0) + 1);
  }

  const selfSamples = new Map();
  const totalSamples = new Map();
  for (const [nodeId, count] of samplesByNode) {
    const self = describeFrame(nodesById.get(nodeId).callFrame);
    selfSamples.set(self, (selfSamples.get(self) ?? 0) + count);

    const seen = new Set();
    for (let id = nodeId; id !== undefined; id = parentIds.get(id)) {
      const name = describeFrame(nodesById.get(id).callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      totalSamples.set(name, (totalSamples.get(name) ?? 0) + count);
    }
  }

  const toPercentages = (countsByName) =>
    [...countsByName]
      .map(([name, count]) => ({ name, percent: (100 * count) / samples.length }))
      .sort((left, right) => right.percent - left.percent);
  return { self: toPercentages(selfSamples), total: toPercentages(totalSamples) };
}

module.exports = { summarizeCpuProfile };
