'use strict';

/**
 * Renders one CSV line the way `carelake query --format csv` renders the
 * values the bench's queries return (text, integers, doubles, NULL), so the
 * two candidates' outputs can be compared byte for byte.
 */
function csvLine(values) {
  return values
    .map((value) => {
      const text = value === null || value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',');
}

module.exports = { csvLine };
