'use strict';

// After every run, the runner redraws each family's chart and the index of results from the
// pages in docs/benchmarks, so that charts and index show the numbers of the pages as they are,
// including pages that this run left alone.

const fs = require('node:fs');
const path = require('node:path');
const { markdownTable } = require('./report');
const { readResultsPage, withChartLink } = require('./results-page');
const { renderFamilyChart } = require('./svg-chart');

const FAMILIES = [
  { id: 'hl7v2', title: 'HL7 v2 parsing', benches: ['hl7v2-parse', 'hl7v2-large-values'] },
  { id: 'fhir', title: 'FHIR views', benches: ['fhir-views'] },
  {
    id: 'parquet-query',
    title: 'Parquet and queries',
    benches: ['parquet-writers', 'query-overhead'],
  },
  { id: 'streams-sftp', title: 'Streams and SFTP', benches: ['stream-throughput', 'sftp'] },
  { id: 'vocab', title: 'Vocabulary lookups', benches: ['vocab-lookup'] },
  { id: 'scale', title: 'The pipeline at scale', benches: ['scale'] },
];

function verdictOf(met) {
  if (met === undefined) return '–';
  return met ? 'met' : 'missed';
}

function renderIndex(entries) {
  const rows = entries.map((entry) => [
    `[${entry.bench}](${entry.bench}.md)`,
    `[${entry.family}](charts/${entry.family}.svg)`,
    entry.target,
    entry.result,
    verdictOf(entry.met),
    entry.date === undefined ? '–' : entry.date.slice(0, 10),
  ]);
  return [
    '# Benchmark results',
    'Each page holds one bench’s last committed run: the command, the machine (cores, memory), ' +
      'the peer measured in the same run, the ratios and peak memory. `npm run bench` runs every ' +
      'bench and rewrites its page; this index and the charts in charts/ are then redrawn from the ' +
      'pages’ results tables by test/bench/run.js, never by hand. test/bench/README.md says how ' +
      'to run them.',
    `${markdownTable(['Bench', 'Chart', 'Target', 'Result', 'Met', 'Date'], rows)}\n`,
  ].join('\n\n');
}

/**
 * Redraws charts/<family>.svg for every family with a page, links each page to its chart, and
 * writes README.md with one row per page. `benches` are the loaded bench modules.
 */
function writeChartsAndIndex({ benches, resultsDir }) {
  const byName = new Map(benches.map((bench) => [bench.name, bench]));
  const unlisted = benches.filter(
    (bench) => !FAMILIES.some((family) => family.benches.includes(bench.name)),
  );
  if (unlisted.length > 0) {
    throw new Error(
      `no chart family in lib/charts-and-index.js lists ${unlisted.map((bench) => bench.name).join(', ')}`,
    );
  }
  const entries = [];
  fs.mkdirSync(path.join(resultsDir, 'charts'), { recursive: true });
  for (const family of FAMILIES) {
    const panels = [];
    const dates = [];
    for (const name of family.benches) {
      const pagePath = path.join(resultsDir, `${name}.md`);
      const bench = byName.get(name);
      if (bench === undefined || !fs.existsSync(pagePath)) continue;
      const text = fs.readFileSync(pagePath, 'utf8');
      const table = readResultsPage(text);
      panels.push(
        ...bench.charts(table).map((panel) => ({ ...panel, title: `${name}: ${panel.title}` })),
      );
      dates.push(`${name} ${table.date?.slice(0, 10) ?? 'undated'}`);
      const assessment = bench.assess(table);
      entries.push({ bench: name, family: family.id, date: table.date, ...assessment });
      fs.writeFileSync(pagePath, withChartLink(text, `charts/${family.id}.svg`));
    }
    if (panels.length === 0) continue;
    const svg = renderFamilyChart({
      title: family.title,
      subtitle: `From the results tables of docs/benchmarks (runs: ${dates.join(', ')}).`,
      panels,
    });
    fs.writeFileSync(path.join(resultsDir, 'charts', `${family.id}.svg`), svg);
  }
  fs.writeFileSync(path.join(resultsDir, 'README.md'), renderIndex(entries));
}

module.exports = { FAMILIES, writeChartsAndIndex };
