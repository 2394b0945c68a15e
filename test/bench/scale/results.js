'use strict';

const { columnOf, numberIn } = require('../lib/results-page');

// Stages per pipeline that the chart shows, the longest first.
const CHARTED_STAGES = 8;

const COLUMNS = [
  'Pipeline',
  'Stage',
  'Time, s',
  'Share of run',
  'Times counted',
  'Records/s',
  'Peak RSS, MiB',
  'First time, s',
  'Last time, s',
];

const number = (value) => Math.round(value).toLocaleString('en-US');

/** Returns the table rows and notes of the scale bench's runs. */
function describeStages(runs) {
  const rows = [];
  const notes = [];
  for (const run of runs) {
    const seconds = run.runMs / 1000;
    rows.push([
      run.name,
      'whole run',
      seconds.toFixed(1),
      '100%',
      '–',
      number(run.records / seconds),
      number(run.peakRssMiB),
      '–',
      '–',
    ]);
    const stages = [...run.stages].sort(([, left], [, right]) => right - left);
    for (const [stage, ms, count, firstMs, lastMs] of stages) {
      rows.push([
        run.name,
        stage,
        (ms / 1000).toFixed(1),
        `${((100 * ms) / run.runMs).toFixed(1)}%`,
        number(count),
        '–',
        '–',
        (firstMs / 1000).toFixed(2),
        (lastMs / 1000).toFixed(2),
      ]);
    }
    const { summary } = run;
    const tables = Object.entries(summary.rowsByTable)
      .filter(([, count]) => count > 0)
      .map(([table, count]) => `${table} ${number(count)}`)
      .join(', ');
    notes.push(
      `${run.name}: ${number(summary.recordsIn)} records from ${number(summary.filesIngested)} ` +
        `files (${(run.bytes / 1024 ** 2).toFixed(0)} MiB) gave ${number(summary.rowsOut)} rows: ` +
        `${tables}. Quarantined ${number(summary.quarantined)}, warnings ` +
        `${number(summary.warnings)}, rows skipped as duplicates ` +
        `${number(summary.rowsSkippedAsDuplicate)}. The runner's own durationMs: ` +
        `${(summary.durationMs / 1000).toFixed(1)} s; opening the lake before it: ` +
        `${(run.openMs / 1000).toFixed(1)} s.`,
      `${run.name}: peak RSS ${number(run.peakRssMiB)} MiB (\`resourceUsage().maxRSS\` of its ` +
        `process, which holds the runner and DuckDB; the decrypted working copies on /dev/shm are ` +
        `not in it); the highest RSS sampled every 250 ms was ${number(run.peakSampledRssMiB)} MiB.`,
    );
  }
  notes.push(
    '"First time" and "Last time" are the first and the last interval a stage counted, such as ' +
      'its first and its last batch: a stage whose last time is far above its first grows with ' +
      'the size of the lake, not of the batch.',
    'No peer runs here: no other tool runs these mappings, views and transforms into a governed ' +
      'lake, so the scale run reports this program against itself.',
  );
  return { rows, notes };
}

function describeSettings({ source, messagesPerFile, resourcesPerFile, outputs }) {
  return [
    `carelake packages from packages/*/dist, built from ${source}.`,
    'Lake: a new local lake in a temporary folder, encrypted under a new key file (AES-256-GCM ' +
      'envelopes), decrypted working copies in a private folder on /dev/shm. DuckDB with the ' +
      'configuration defaults (no thread or memory limit set).',
    `Pipelines: two pipeline files with a directory source and the outputs ${outputs.join(', ')}, ` +
      'as the end-to-end test of the SQL transforms writes them. They take the repository’s HL7 v2 ' +
      'mappings (pipelines/mappings/hl7v2), FHIR views (pipelines/views/fhir) and SQL transforms ' +
      '(pipelines/transforms/fhir), and the default batchRows of 100,000. `runPipeline` runs the ' +
      'HL7 v2 pipeline, then, in a new process over the same lake, the FHIR pipeline.',
    'HL7 v2 warnings are the mappings’ `timestamp-without-offset`: most samples’ timestamps carry ' +
      'no UTC offset (in a check of 1,000 generated messages, all 842 warnings had that code). ' +
      'The generated messages end every segment with CR, so the samples’ framing warnings are gone.',
    `Landing files hold ${messagesPerFile.toLocaleString('en-US')} messages or ` +
      `${resourcesPerFile.toLocaleString('en-US')} resources each, because the runner reads and ` +
      'decodes one file whole.',
    'Stages are timed by the runner’s own signals: the `file.land` audit event and the log lines ' +
      '`file decoded`, `table committed`, `transform ran` and `current table rebuilt`. Each ' +
      'interval between two signals counts for the stage whose signal ends it, so the stages add ' +
      'up to the whole run. "read source and land (encrypt)" covers reading the input file, its ' +
      'SHA-256, the ledger look-up, and the encrypted copy into landing/, and its first interval ' +
      'also holds compiling the mappings, views and transforms. "decode, map and validate" covers ' +
      'parsing, the mappings or views, conformance checks, validation and quarantine. ' +
      '"write TABLE" covers the Parquet write, encryption and commit of that table, plus the ' +
      'catalog registration of the table written before it. "transform FILE" covers the SQL ' +
      'transform over the view rows just committed. "_current refresh TABLE" rebuilds the ' +
      '`_current` companion of a history table from its whole history, once at the end of the ' +
      'run. A table that receives no rows sends no signal, so its time falls in the next stage.',
  ];
}

/** Returns the chart panels of a results table of this bench: the longest stages of each pipeline. */
function charts(table) {
  const pipelines = [...new Set(columnOf(table, 'Pipeline'))];
  return [
    {
      title: 'time by stage of each run (the longest stages)',
      unit: 's',
      higherIsBetter: false,
      note: 'Labels: share of the run. No peer: see the page.',
      groups: pipelines.map((pipeline) => {
        const rows = table.rows.filter((row) => row[0] === pipeline);
        return {
          label: `${pipeline}: ${rows[0][5]} records/s, peak RSS ${rows[0][6]} MiB`,
          bars: rows.slice(0, CHARTED_STAGES + 1).map((row) => ({
            label: row[1],
            value: numberIn(row[2]),
            ratio: row[3],
          })),
        };
      }),
    },
  ];
}

/** Returns the index entry of the scale run, which has no target: its rates and peak memory. */
function assess(table) {
  const whole = table.rows.filter((row) => row[1] === 'whole run');
  return {
    target: 'none set (reports time per stage and peak memory)',
    result: whole.map((row) => `${row[0]} ${row[5]} records/s, peak ${row[6]} MiB`).join('; '),
    met: undefined,
  };
}

module.exports = { COLUMNS, describeStages, describeSettings, charts, assess };
