'use strict';

function decimalsOf(cell) {
  const point = cell.indexOf('.');
  return point === -1 ? 0 : cell.length - point - 1;
}

function sameCell(left, right) {
  if (left === right) return true;
  const a = Number(left);
  const b = Number(right);
  if (left === '' || right === '' || Number.isNaN(a) || Number.isNaN(b)) return false;
  // DuckDB sums doubles in parallel, so an average can differ in its last bits from run to run,
  // and rounding can carry that to the last printed digit. One unit of it is allowed.
  const unit = 10 ** -Math.max(decimalsOf(left), decimalsOf(right));
  return Math.abs(a - b) <= unit * (1 + 1e-9);
}

/**
 * Returns whether two CSV outputs are equal, cell by cell, allowing a number to differ by one
 * unit in its last printed decimal place.
 */
function isSameOutput(left, right) {
  const leftLines = left.split('\n');
  const rightLines = right.split('\n');
  if (leftLines.length !== rightLines.length) return false;
  return leftLines.every((line, index) => {
    const leftCells = line.split(',');
    const rightCells = rightLines[index].split(',');
    return (
      leftCells.length === rightCells.length &&
      leftCells.every((cell, column) => sameCell(cell, rightCells[column]))
    );
  });
}

module.exports = { isSameOutput };
