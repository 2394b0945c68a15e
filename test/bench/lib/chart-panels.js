'use strict';

const { columnOf, numberIn } = require('./results-page');

/**
 * Returns one group of bars from a results table: a bar per row (or per row that `keep`
 * accepts), labelled from `label`, sized by the number in `value`, and annotated with the cell
 * of `ratio` when given.
 */
function barsFrom(table, { label, value, ratio, keep = () => true, groupLabel = '' }) {
  const labels = Array.isArray(label)
    ? label.map((name) => columnOf(table, name))
    : [columnOf(table, label)];
  const values = columnOf(table, value);
  const ratios = ratio === undefined ? undefined : columnOf(table, ratio);
  const bars = [];
  table.rows.forEach((row, index) => {
    if (!keep(row, index)) return;
    bars.push({
      label: labels.map((cells) => cells[index]).join(', '),
      value: numberIn(values[index]),
      ...(ratios === undefined ? {} : { ratio: ratios[index] }),
    });
  });
  return { label: groupLabel, bars };
}

/** Returns whether the table has a column, for charts of pages written before it was added. */
function hasColumn(table, name) {
  return table.columns.includes(name);
}

module.exports = { barsFrom, hasColumn };
