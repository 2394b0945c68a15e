'use strict';

const CHART_LINK_PREFIX = 'Chart: ';

function splitRow(line) {
  const cells = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
  return cells.map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/**
 * Reads back what `renderResultsPage` wrote: the date and command of the run, the results
 * table (the first table under `## Results`) and the notes after it. Charts and the index are
 * drawn from these, so that they always show the numbers of the committed pages.
 */
function readResultsPage(text) {
  const lines = text.split('\n');
  const valueOf = (label) => {
    const line = lines.find((candidate) => candidate.startsWith(`- ${label}: `));
    return line === undefined ? undefined : line.slice(label.length + 4);
  };
  const start = lines.indexOf('## Results');
  if (start === -1) throw new Error('the page has no "## Results" section');
  const tableLines = [];
  let at = start + 1;
  while (at < lines.length && !lines[at].startsWith('|')) at += 1;
  while (at < lines.length && lines[at].startsWith('|')) tableLines.push(lines[at++]);
  if (tableLines.length < 3) throw new Error('the "## Results" section has no table');
  const notes = lines
    .slice(at)
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
  return {
    date: valueOf('Date'),
    command: valueOf('Command')?.replace(/^`|`$/g, ''),
    columns: splitRow(tableLines[0]),
    rows: tableLines.slice(2).map(splitRow),
    notes,
  };
}

/**
 * Returns the page with a link to its family's chart under the title and description, replacing
 * an older link. Pages of earlier runs get the link without being run again.
 */
function withChartLink(text, chartPath) {
  const link = `${CHART_LINK_PREFIX}[${chartPath}](${chartPath})`;
  const lines = text.split('\n').filter((line) => !line.startsWith(CHART_LINK_PREFIX));
  // Title, blank line, description: the link goes in its own paragraph after them.
  const machine = lines.indexOf('## Machine');
  if (machine === -1) throw new Error('the page has no "## Machine" section');
  const cleaned = lines.slice(0, machine).join('\n').trimEnd();
  return `${cleaned}\n\n${link}\n\n${lines.slice(machine).join('\n')}`;
}

/** Returns the cells of one column, by its header. Throws when the table has no such column. */
function columnOf(table, name) {
  const index = table.columns.indexOf(name);
  if (index === -1) throw new Error(`the results table has no column "${name}"`);
  return table.rows.map((row) => row[index]);
}

/** Reads the number a cell starts with, such as 1,234 in "1,234 MiB" or 1.28 in "1.28x". */
function numberIn(cell) {
  const match = /-?[\d,]*\.?\d+/.exec(String(cell));
  return match === null ? NaN : Number(match[0].replaceAll(',', ''));
}

module.exports = { readResultsPage, withChartLink, columnOf, numberIn };
