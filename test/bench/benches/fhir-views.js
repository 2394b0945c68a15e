'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkPackageBuilt } = require('../lib/carelake-dist');
const { packageVersion } = require('../lib/package-version');
const { readDefaultViewSources, describeViewSource } = require('../fhir-views/default-views');
const { describeInput, describeSettings } = require('../fhir-views/describe-run');
const { forkCarelakeRun, forkPeerRun } = require('../fhir-views/fork-runs');
const { generateNdjson } = require('../fhir-views/generate-ndjson');
const { profileCarelakeRun } = require('../fhir-views/profile');
const { describeProfile } = require('../fhir-views/profile-notes');
const {
  COLUMNS,
  OURS_STAGES,
  PEER_STAGES,
  summarizeStages,
  formatRows,
  describeGcTime,
  medianRun,
} = require('../fhir-views/results');
const { countSampledCells } = require('../fhir-views/row-samples');
const { loadSyntheaTemplates } = require('../fhir-views/synthea-templates');
const {
  describeTargets,
  describeMemory,
  TARGET_RESOURCES_PER_SECOND,
  TARGET_VIEWS_RATIO,
} = require('../fhir-views/targets');
const { findParquetMismatches } = require('../fhir-views/verify-parquet');
const { findRunMismatches } = require('../fhir-views/verify-runs');
const { barsFrom } = require('../lib/chart-panels');
const { columnOf, numberIn } = require('../lib/results-page');

const DEFAULT_RESOURCES = 1_000_000;
// One run of both candidates over a million resources took about 100 s on the
// 2-core machine of docs/benchmarks/fhir-views.md, so three stay well within 10 minutes.
const DEFAULT_RUNS = 3;
const SEED = 20240101;
// Resources in the profiled run made when the throughput target is missed.
const PROFILE_RESOURCES = 200_000;
const PACKAGES = ['core', 'fhir', 'tables'];

/** Returns the share of a run's end-to-end time that no stage clock counted. */
function unstagedShare(run) {
  const stagedMs = Object.values(run.stageMs).reduce((total, ms) => total + ms, 0);
  return (run.totalMs - stagedMs) / run.totalMs;
}

async function measureRuns({ files, runs, tempDir, onProgress }) {
  const oursRuns = [];
  const peerRuns = [];
  // Runs are interleaved, so that a slow spell on the machine does not fall on one candidate only.
  for (let run = 1; run <= runs; run += 1) {
    onProgress(`run ${run}/${runs}: @carelake/fhir read, check, views, Parquet`);
    const parquetDir = path.join(tempDir, `parquet-${run}`);
    const ours = await forkCarelakeRun({ files, parquetDir, label: `carelake run ${run}` });
    const parquetMismatches = await findParquetMismatches(parquetDir, ours.rowsByView);
    fs.rmSync(parquetDir, { recursive: true, force: true });

    onProgress(`run ${run}/${runs}: fhirpath peer`);
    const peer = await forkPeerRun({ files, label: `fhirpath run ${run}` });

    const mismatches = [...parquetMismatches, ...findRunMismatches({ files, ours, peer })];
    if (mismatches.length > 0) {
      const listed = mismatches.slice(0, 20).join('\n  ');
      const more = mismatches.length > 20 ? `\n  and ${mismatches.length - 20} more` : '';
      throw new Error(`run ${run}: the candidates' outputs differ:\n  ${listed}${more}`);
    }
    oursRuns.push(ours);
    peerRuns.push(peer);
  }
  return { oursRuns, peerRuns };
}

async function profileMissedThroughput({ templates, tempDir, onProgress }) {
  onProgress(`throughput target missed: profiling ${PROFILE_RESOURCES} resources`);
  const workDir = path.join(tempDir, 'profile');
  const ndjsonDir = path.join(workDir, 'ndjson');
  fs.mkdirSync(ndjsonDir, { recursive: true });
  const { files } = generateNdjson({
    dir: ndjsonDir,
    resourceCount: PROFILE_RESOURCES,
    seed: SEED,
    templates,
  });
  const { summary } = await profileCarelakeRun({ files, workDir });
  return describeProfile(summary, PROFILE_RESOURCES);
}

/**
 * Generates Synthea-shaped NDJSON, runs carelake's read, conformance check,
 * default views and Parquet write over it, and the fhirpath package over the
 * same views, each on one core. Returns resources per second per stage with
 * ratios to the peer, memory at several points of the input, and the
 * targets met or missed. Throws when the candidates' outputs differ.
 */
async function run({ resources = DEFAULT_RESOURCES, runs = DEFAULT_RUNS, onProgress = () => {} }) {
  for (const name of PACKAGES) checkPackageBuilt(name);
  const views = readDefaultViewSources().map(describeViewSource);
  const viewTypes = [...new Set(views.map((view) => view.resource))];
  const templates = loadSyntheaTemplates(viewTypes);
  const templateTypes = new Set(templates.flatMap((t) => t.resources.map((r) => r.resourceType)));

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-bench-fhir-views-'));
  try {
    onProgress(`generating ${resources} resources`);
    const ndjsonDir = path.join(tempDir, 'ndjson');
    fs.mkdirSync(ndjsonDir);
    const { files, patientCount } = generateNdjson({
      dir: ndjsonDir,
      resourceCount: resources,
      seed: SEED,
      templates,
    });

    const { oursRuns, peerRuns } = await measureRuns({ files, runs, tempDir, onProgress });
    fs.rmSync(ndjsonDir, { recursive: true, force: true });

    const ours = summarizeStages(oursRuns, OURS_STAGES, resources);
    const peer = summarizeStages(peerRuns, PEER_STAGES, resources);
    const targets = describeTargets({ ours, peer, oursRuns });
    const profileNotes = targets.isThroughputMissed
      ? await profileMissedThroughput({ templates, tempDir, onProgress })
      : [];

    return {
      input: describeInput({
        resourceCount: resources,
        files,
        patientCount,
        templateCount: templates.length,
        seed: SEED,
        runs,
      }),
      settings: describeSettings({
        viewNames: views.map((view) => view.name),
        emptyViews: views.filter((view) => !templateTypes.has(view.resource)).map((v) => v.name),
        sampled: countSampledCells(oursRuns[0].samples),
        conformanceWarnings: oursRuns[0].conformanceWarnings,
        unstagedShare: unstagedShare(medianRun(oursRuns)),
      }),
      columns: COLUMNS,
      rows: formatRows({ ours, peer, peerLabel: `fhirpath ${packageVersion('fhirpath')}` }),
      notes: [
        'Ratios divide carelake’s median by the fhirpath peer’s median for the same stage, ' +
          'so above 1 is faster. The end-to-end ratio compares unequal work, because carelake ' +
          'also checks conformance and writes Parquet.',
        ...targets.notes,
        describeGcTime(oursRuns, peerRuns),
        ...describeMemory(oursRuns, peerRuns),
        ...profileNotes,
      ],
    };
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Returns the chart panels of a results table of this bench, for the fhir family chart. */
function charts(table) {
  const stages = [
    ['parse: readNdjson', ['parse: readNdjson']],
    ['all default views', ['all default views']],
    ['end to end', ['end to end', 'end to end: parse + views']],
  ];
  const panels = [
    {
      title: 'resources per second by stage, one core',
      unit: 'resources/s',
      higherIsBetter: true,
      note: 'Ratios: to the fhirpath peer in the same stage. carelake’s end to end also checks conformance and writes Parquet.',
      groups: stages.map(([groupLabel, names]) =>
        barsFrom(table, {
          groupLabel,
          keep: (row) => names.includes(row[1]),
          label: 'Candidate',
          value: 'Resources/s (median)',
          ratio: 'vs fhirpath',
        }),
      ),
    },
  ];
  const peak = table.notes
    .map((note) => /^Peak RSS: carelake (\d+) MiB, fhirpath peer (\d+) MiB/.exec(note))
    .find((match) => match !== null);
  if (peak) {
    panels.push({
      title: 'peak RSS of each candidate’s process',
      unit: 'MiB',
      higherIsBetter: false,
      groups: [
        {
          label: '',
          bars: [
            { label: '@carelake/fhir + @carelake/tables', value: Number(peak[1]) },
            { label: 'fhirpath peer', value: Number(peak[2]) },
          ],
        },
      ],
    });
  }
  return panels;
}

/** Returns the targets, the results and whether both were met, for the index of results. */
function assess(table) {
  const stages = columnOf(table, 'Stage');
  const rates = columnOf(table, 'Resources/s (median)');
  const ratios = columnOf(table, 'vs fhirpath');
  const endToEnd = numberIn(rates[stages.indexOf('end to end')]);
  const views = numberIn(ratios[stages.indexOf('all default views')]);
  return {
    target:
      `${TARGET_RESOURCES_PER_SECOND.toLocaleString('en-US')} resources/s end to end on one ` +
      `core; views at ${TARGET_VIEWS_RATIO}x fhirpath`,
    result:
      `${Math.round(endToEnd).toLocaleString('en-US')} resources/s ` +
      `(${endToEnd >= TARGET_RESOURCES_PER_SECOND ? 'met' : 'missed'}); views ${views.toFixed(2)}x ` +
      `(${views >= TARGET_VIEWS_RATIO ? 'met' : 'missed'})`,
    met: endToEnd >= TARGET_RESOURCES_PER_SECOND && views >= TARGET_VIEWS_RATIO,
  };
}

module.exports = {
  name: 'fhir-views',
  description:
    'Reads generated Synthea-shaped FHIR NDJSON through @carelake/fhir (conformance check and ' +
    'every default SQL-on-FHIR view) into Parquet with @carelake/tables on one core, and ' +
    'compares the views stage with evaluating the same view paths with the fhirpath package.',
  run,
  charts,
  assess,
};
