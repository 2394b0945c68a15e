'use strict';

const { median } = require('../lib/statistics');

const MIB = 1024 * 1024;
// RSS may rise by this much after the 10% mark of the large file and still
// count as flat. A few MiB of buffers and garbage come and go between marks,
// but memory that grew with the bytes would rise by hundreds of MiB per GiB.
const FLAT_RSS_GROWTH_MIB = 32;
// carelake's large-file download may take at most this many times as long as the sftp client's.
const LARGE_FILE_TIME_TARGET = 1.5;

const COLUMNS = [
  'Workload',
  'Candidate',
  'Wall time, s (median)',
  'Wall time range, s',
  'MiB/s',
  'Files/s',
  'Listing, s',
  'CPU, s (median)',
  'Peak RSS, MiB',
  'Time vs sftp client',
];

/**
 * Returns how far RSS rose after the 10% mark of one run: the largest later
 * mark minus the first.
 */
function rssGrowthBytes(marks) {
  if (marks.length < 2) return 0;
  const later = marks.slice(1).map((mark) => mark.rssBytes);
  return Math.max(...later) - marks[0].rssBytes;
}

/** Reduces the runs of one candidate on one workload to medians and ranges. */
function summarizeRuns({ workload, candidate, expected, measurements }) {
  const wallMs = measurements.map((measurement) => measurement.wallMs);
  const peakRss = measurements
    .map((measurement) => measurement.peakRssBytes)
    .filter((bytes) => bytes !== null);
  const cpuMs = measurements.map((measurement) => measurement.cpuMs).filter((ms) => ms !== null);
  const listed = measurements
    .map((measurement) => measurement.listedMs)
    .filter((ms) => ms !== undefined);
  const rssMarks = measurements
    .map((measurement) => measurement.rssMarks)
    .filter((marks) => marks !== undefined);
  const wallMsMedian = median(wallMs);

  return {
    workload,
    candidate,
    runs: measurements.length,
    wallMsMedian,
    wallMsMin: Math.min(...wallMs),
    wallMsMax: Math.max(...wallMs),
    mibPerSecond: expected.bytes / MIB / (wallMsMedian / 1000),
    filesPerSecond: expected.count / (wallMsMedian / 1000),
    listedMsMedian: listed.length > 0 ? median(listed) : undefined,
    cpuMsMedian: cpuMs.length > 0 ? median(cpuMs) : undefined,
    peakRssBytesMedian: peakRss.length > 0 ? median(peakRss) : undefined,
    rssMarks,
    rssGrowthBytesMax: rssMarks.length > 0 ? Math.max(...rssMarks.map(rssGrowthBytes)) : undefined,
  };
}

function formatSeconds(ms) {
  return ms === undefined ? '–' : (ms / 1000).toFixed(2);
}

function formatMib(bytes) {
  return bytes === undefined ? '–' : (bytes / MIB).toFixed(0);
}

/** Formats the summaries as table cells, with each workload's ratio to the baseline candidate. */
function formatRows(summaries, baselineName) {
  return summaries.map((summary) => {
    const baseline = summaries.find(
      (other) =>
        other.workload.name === summary.workload.name && other.candidate.name === baselineName,
    );
    return [
      summary.workload.label,
      summary.candidate.label,
      formatSeconds(summary.wallMsMedian),
      `${formatSeconds(summary.wallMsMin)}–${formatSeconds(summary.wallMsMax)}`,
      summary.mibPerSecond.toFixed(1),
      summary.filesPerSecond.toFixed(summary.filesPerSecond < 10 ? 2 : 0),
      formatSeconds(summary.listedMsMedian),
      formatSeconds(summary.cpuMsMedian),
      formatMib(summary.peakRssBytesMedian),
      `${(summary.wallMsMedian / baseline.wallMsMedian).toFixed(2)}x`,
    ];
  });
}

/** Describes the RSS marks of each carelake candidate on the large file, and whether they stay flat. */
function describeLargeFileMemory(summaries) {
  return summaries
    .filter((summary) => summary.workload.name === 'large' && summary.rssMarks.length > 0)
    .map((summary) => {
      const firstRun = summary.rssMarks[0]
        .map((mark) => `${Math.round(mark.fraction * 100)}% ${formatMib(mark.rssBytes)}`)
        .join(', ');
      const growthMib = summary.rssGrowthBytesMax / MIB;
      const verdict =
        growthMib <= FLAT_RSS_GROWTH_MIB
          ? `flat: it does not grow with the bytes transferred`
          : `not flat: it grows with the bytes transferred`;
      return (
        `${summary.candidate.label}, large file: RSS in MiB at each share of the bytes ` +
        `(run 1): ${firstRun}. The largest rise after the 10% mark in any run was ` +
        `${growthMib.toFixed(1)} MiB, so memory is ${verdict} ` +
        `(a rise of at most ${FLAT_RSS_GROWTH_MIB} MiB counts as flat).`
      );
    });
}

/**
 * Describes whether carelake's folder-sink download of the large file met the
 * time target, and how busy its process was. CPU time close to wall time means
 * that the CPU of the one Node.js process bounds the download, not the server
 * or the wait for replies.
 */
function describeTimeTarget(summaries, candidateName, baselineName) {
  const find = (name) =>
    summaries.find(
      (summary) => summary.workload.name === 'large' && summary.candidate.name === name,
    );
  const ours = find(candidateName);
  const ratio = ours.wallMsMedian / find(baselineName).wallMsMedian;
  const outcome = ratio <= LARGE_FILE_TIME_TARGET ? 'met' : 'missed';
  const cpuShare = ours.cpuMsMedian / ours.wallMsMedian;
  return (
    `Target: ${ours.candidate.label} within ${LARGE_FILE_TIME_TARGET}x of the sftp client's ` +
    `time on the large file. Median ratio ${ratio.toFixed(2)}x: ${outcome}. Its process used ` +
    `${formatSeconds(ours.cpuMsMedian)} s of CPU in ${formatSeconds(ours.wallMsMedian)} s ` +
    `(${Math.round(cpuShare * 100)}% of one core, all threads counted).`
  );
}

module.exports = {
  COLUMNS,
  FLAT_RSS_GROWTH_MIB,
  LARGE_FILE_TIME_TARGET,
  summarizeRuns,
  formatRows,
  describeLargeFileMemory,
  describeTimeTarget,
};
