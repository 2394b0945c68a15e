'use strict';

// Every candidate cuts row groups at DuckDB's default row group size, so that
// file sizes differ by encoder and codec, not by layout.
const ROW_GROUP_ROWS = 122_880;

module.exports = { ROW_GROUP_ROWS };
