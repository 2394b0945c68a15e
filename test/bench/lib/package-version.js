'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Returns the installed version of a package. Walks up from its resolved entry
 * point, because some packages (parquet-wasm) do not export their
 * package.json.
 */
function packageVersion(name) {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifestPath = path.join(dir, 'package.json');
    if (fs.existsSync(manifestPath)) {
      const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
      if (manifest.name === name) {
        return manifest.version;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`package.json of ${name} not found above ${require.resolve(name)}`);
    }
    dir = parent;
  }
}

module.exports = { packageVersion };
