'use strict';

const { parse: parseText, extract, findIssues } = require('./carelake');

/**
 * @carelake/hl7v2 on UTF-8 bytes, as the pipelines read landing files. The
 * parser then also decodes each message in the charset MSH-18 names.
 */
function prepare(text) {
  return Buffer.from(text, 'utf8');
}

module.exports = { prepare, parse: parseText, extract, findIssues };
