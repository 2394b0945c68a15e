'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Benchmarks measure the built packages, as the pipelines load them.
const PACKAGES_DIR = path.resolve(__dirname, '../../../packages');

function packageDir(name) {
  return path.join(PACKAGES_DIR, name);
}

function buildHint(name) {
  return `build it from the repository root: npx tsc -b packages/${name}/tsconfig.lib.json`;
}

/** Returns the path of packages/NAME/dist/index.js. */
function distEntry(name) {
  return path.join(packageDir(name), 'dist', 'index.js');
}

/**
 * Lists the sources tsconfig.lib.json compiles, each with the path of its
 * built JavaScript, as TypeScript itself resolves the include and exclude
 * patterns.
 */
function listCompiledSources(name) {
  // Loaded here, so that child processes, which only need the entry path, skip it.
  const ts = require('typescript');
  const configPath = path.join(packageDir(name), 'tsconfig.lib.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        throw new Error(`packages/${name}/tsconfig.lib.json could not be read: ${text}`);
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
 * Throws when packages/NAME is not built, or when a source file is newer than
 * its built output, because the numbers would then belong to code that is no
 * longer in the sources.
 */
function checkPackageBuilt(name) {
  if (!fs.existsSync(distEntry(name))) {
    throw new Error(`packages/${name}/dist/index.js not found; ${buildHint(name)}`);
  }
  const stale = listCompiledSources(name).filter(isOlderThanSource);
  if (stale.length > 0) {
    const names = stale
      .map(({ sourcePath }) => path.relative(packageDir(name), sourcePath))
      .join(', ');
    throw new Error(`packages/${name}/dist is older than ${names}; ${buildHint(name)}`);
  }
}

/** Returns the version in packages/NAME/package.json. */
function readPackageVersion(name) {
  const manifestPath = path.join(packageDir(name), 'package.json');
  return JSON.parse(fs.readFileSync(manifestPath, 'utf8')).version;
}

/**
 * Describes the sources packages/NAME was built from: the commit, and whether
 * the package folder had uncommitted changes. Returns a placeholder when git
 * is not available.
 */
function describePackageSource(name) {
  const git = (args) =>
    execFileSync('git', args, { cwd: packageDir(name), encoding: 'utf8', stdio: 'pipe' }).trim();
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const changed = git(['status', '--porcelain', '--', '.']) !== '';
    return changed
      ? `commit ${commit} with uncommitted changes in packages/${name}`
      : `commit ${commit}`;
  } catch {
    return 'an unknown commit (git is not available)';
  }
}

module.exports = { distEntry, checkPackageBuilt, readPackageVersion, describePackageSource };
