'use strict';

const { compareSamples } = require('./row-samples');

function findCountMismatches(label, run, files) {
  const mismatches = [];
  for (const file of files) {
    const read = run.resourcesByType[file.resourceType] ?? 0;
    if (read !== file.resourceCount) {
      mismatches.push(
        `${label} read ${read} resources from ${file.resourceType}.ndjson, which has ${file.resourceCount}`,
      );
    }
  }
  return mismatches;
}

function findRowCountMismatches(ours, peer) {
  const names = new Set([...Object.keys(ours.rowsByView), ...Object.keys(peer.rowsByView)]);
  const mismatches = [];
  for (const name of names) {
    const oursRows = ours.rowsByView[name];
    const peerRows = peer.rowsByView[name];
    if (oursRows !== peerRows) {
      mismatches.push(
        `view ${name}: ${oursRows} rows from @carelake/fhir, ${peerRows} from fhirpath`,
      );
    }
  }
  return mismatches;
}

/**
 * Checks that both candidates did the same work: every generated resource
 * read, the same number of rows from every view, and equal values in every
 * column of the sampled resources' rows. Returns one line per difference.
 */
function findRunMismatches({ files, ours, peer }) {
  const mismatches = [
    ...findCountMismatches('@carelake/fhir', ours, files),
    ...findCountMismatches('the fhirpath peer', peer, files),
    ...findRowCountMismatches(ours, peer),
  ];
  if (ours.samples.length === 0) mismatches.push('no resource was sampled for comparison');
  mismatches.push(...compareSamples(ours.samples, peer.samples));
  return mismatches;
}

module.exports = { findRunMismatches };
