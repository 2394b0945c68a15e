'use strict';

function escapeCell(text) {
  return String(text).replaceAll('|', '\\|');
}

function columnWidths(columns, rows) {
  return columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => String(row[index]).length)),
  );
}

/** Lays out a header and rows as a Markdown table padded the way Prettier pads it. */
function markdownTable(columns, rows) {
  const cells = [columns, ...rows].map((row) => row.map(escapeCell));
  const widths = columnWidths(cells[0], cells.slice(1));
  const formatLine = (row) =>
    `| ${row.map((cell, index) => cell.padEnd(widths[index])).join(' | ')} |`;
  const separator = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [formatLine(cells[0]), separator, ...cells.slice(1).map(formatLine)].join('\n');
}

/** Lays out a header and rows as fixed-width text for the terminal. */
function textTable(columns, rows) {
  const widths = columnWidths(columns, rows);
  const formatLine = (cells) =>
    cells.map((cell, index) => String(cell).padEnd(widths[index])).join('  ');
  return [formatLine(columns), formatLine(widths.map((width) => '-'.repeat(width)))]
    .concat(rows.map(formatLine))
    .join('\n');
}

/**
 * Renders a benchmark's results page: what ran where, with which command and
 * input, then the results table and the bench's notes.
 */
function renderResultsPage({ bench, result, machine, loadAverage, command, date }) {
  const sections = [
    `# Benchmark: ${bench.name}`,
    bench.description,
    '## Machine',
    machine.map(([label, value]) => `- ${label}: ${value}`).join('\n'),
    '## Run',
    [
      `- Command: \`${command}\``,
      `- Date: ${date}`,
      `- Load average (1, 5, 15 min): ${loadAverage.atStart} at the start, ` +
        `${loadAverage.atEnd} at the end`,
      `- Input: ${result.input}`,
    ].join('\n'),
    '## Settings',
    result.settings.map((line) => `- ${line}`).join('\n'),
    '## Results',
    markdownTable(result.columns, result.rows),
  ];
  if (result.notes.length > 0) {
    sections.push(result.notes.map((line) => `- ${line}`).join('\n'));
  }
  return `${sections.join('\n\n')}\n`;
}

module.exports = { markdownTable, textTable, renderResultsPage };
