'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Benchmarks measure the built package, as the pipelines load it.
const PACKAGE_DIR = path.resolve(__dirname, '../../../packages/hl7v2');
const CARELAKE_HL7V2_ENTRY = path.join(PACKAGE_DIR, 'dist', 'index.js');
const BUILD_HINT = 'build it from the repository root: npx tsc -b packages/hl7v2/tsconfig.lib.json';

/**
 * Lists the sources tsconfig.lib.json compiles, each with the path of its
 * built JavaScript, as TypeScript itself resolves the include and exclude
 * patterns.
 */
function listCompiledSources() {
  // Loaded here, so that the child processes, which only need the entry path, skip it.
  const ts = require('typescript');
  const configPath = path.join(PACKAGE_DIR, 'tsconfig.lib.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        throw new Error(`packages/hl7v2/tsconfig.lib.json could not be read: ${text}`);
      },
    },
  );
  const { rootDir, outDir } = config.options;
  return config.fileNames
    .filter((sourcePath) => !sourcePath.endsWith('.d.ts'))
    .map((sourcePath) => ({
      sourcePath,
      builtPath: path.join(outDir, path.relative(rootDir, sourcePath)).replace(/\.ts$/, '.js'),
    }));
}

function isOlderThanSource({ sourcePath, builtPath }) {
  return (
    !fs.existsSync(builtPath) || fs.statSync(builtPath).mtimeMs < fs.statSync(sourcePath).mtimeMs
  );
}

/**
 * Throws when packages/hl7v2 is not built, or when a source file is newer
 * than its built output, because the numbers would then belong to code that
 * is no longer in the sources.
 */
function checkCarelakeHl7v2Built() {
  if (!fs.existsSync(CARELAKE_HL7V2_ENTRY)) {
    throw new Error(`packages/hl7v2/dist/index.js not found; ${BUILD_HINT}`);
  }
  const stale = listCompiledSources().filter(isOlderThanSource);
  if (stale.length > 0) {
    const names = stale.map(({ sourcePath }) => path.relative(PACKAGE_DIR, sourcePath)).join(', ');
    throw new Error(`packages/hl7v2/dist is older than ${names}; ${BUILD_HINT}`);
  }
}

/** Returns the version in packages/hl7v2/package.json. */
function readCarelakeHl7v2Version() {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  return manifest.version;
}

/**
 * Describes the sources the package was built from: the commit, and whether
 * packages/hl7v2 had uncommitted changes. Returns a placeholder when git is not available.
 */
function describeCarelakeHl7v2Source() {
  const git = (args) =>
    execFileSync('git', args, { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: 'pipe' }).trim();
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const changed = git(['status', '--porcelain', '--', '.']) !== '';
    return changed
      ? `commit ${commit} with uncommitted changes in packages/hl7v2`
      : `commit ${commit}`;
  } catch {
    return 'an unknown commit (git is not available)';
  }
}

module.exports = {
  CARELAKE_HL7V2_ENTRY,
  checkCarelakeHl7v2Built,
  readCarelakeHl7v2Version,
  describeCarelakeHl7v2Source,
};
