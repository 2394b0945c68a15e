'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** The SQL-on-FHIR views the repository ships, which a pipeline uses when it names no others. */
const DEFAULT_VIEWS_DIR = path.resolve(__dirname, '../../../pipelines/views/fhir');
const VIEW_SUFFIX = '.view.json';

/**
 * Reads the default ViewDefinition files as `{ file, text }` in name order, as
 * the pipeline's `readFhirViewSources` reads a view folder. The bench reads
 * them itself, so that it does not need packages/pipeline built.
 */
function readDefaultViewSources() {
  return fs
    .readdirSync(DEFAULT_VIEWS_DIR)
    .filter((name) => name.endsWith(VIEW_SUFFIX))
    .sort()
    .map((name) => {
      const file = path.join(DEFAULT_VIEWS_DIR, name);
      return { file, text: fs.readFileSync(file, 'utf8') };
    });
}

/** Returns the view's `name` and `resource` without compiling it. */
function describeViewSource(source) {
  const { name, resource } = JSON.parse(source.text);
  return { name, resource };
}

module.exports = { DEFAULT_VIEWS_DIR, readDefaultViewSources, describeViewSource };
