import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { ConfigError } from '@carelake/core';

/** The folder that becomes the code of every runner function, and how Lambda calls into it. */
export interface RunnerBundle {
  /** Folder with the bundled handlers, the native modules, carelake.yaml and pipelines/. */
  dir: string;
  /** Lambda runtime whose Node.js major version the native modules were built for, such as `nodejs20.x`. */
  runtimeName: string;
  /** Handler of the scheduled file pipelines. */
  scheduledHandler: string;
  /** Handler of the stream pipelines, called by a Kinesis event source mapping. */
  kinesisHandler: string;
}

export interface BundleRunnersOptions {
  /** Repository whose carelake.yaml and pipelines/ go into the bundle. */
  repositoryRoot: string;
  /** Empty or new folder to write the bundle to. */
  outDir: string;
}

/**
 * Packages esbuild leaves out because they load a compiled `.node` file at run time, copied into the
 * bundle's node_modules with the files they need. The binaries are the ones installed on this
 * machine (linux-x64), so the bundle must be built on linux-x64 (decision 0010).
 */
const NATIVE_PACKAGES: ReadonlyArray<{ name: string; paths?: string[] }> = [
  { name: '@duckdb/node-api' },
  { name: '@duckdb/node-bindings' },
  { name: '@duckdb/node-bindings-linux-x64' },
  { name: 'detect-libc' },
  { name: 'better-sqlite3', paths: ['package.json', 'lib', 'build/Release/better_sqlite3.node'] },
  { name: 'bindings' },
  { name: 'file-uri-to-path' },
];

/**
 * Left out of the bundle and not copied: optional native speed-ups that their packages load
 * inside try/catch (ssh2, cpu-features), and the local Kinesis endpoint, which no runner uses.
 */
const OPTIONAL_EXTERNALS = ['*.node', 'cpu-features', 'kinesalite'];

/**
 * Bundle the runner entry points of @carelake/pipeline with esbuild on this machine, without
 * Docker, and copy the native modules, carelake.yaml and pipelines/ beside them. Every runner
 * function shares this one folder, so CDK stages and uploads it once.
 * @throws ConfigError when the machine is not linux-x64 or @carelake/pipeline is not built.
 */
export async function bundleRunners(options: BundleRunnersOptions): Promise<RunnerBundle> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ConfigError(`runner bundles are built on linux-x64, and this machine is ${process.platform}-${process.arch}`, [], {
      hint: 'Build and deploy from a linux-x64 machine or CI runner, whose native modules match Lambda x86_64.',
    });
  }
  const entryDir = join(dirname(require.resolve('@carelake/pipeline')), 'lambda');
  const entries = { 'scheduled-run': join(entryDir, 'scheduled-run-entry.js'), 'kinesis-event': join(entryDir, 'kinesis-event-entry.js') };
  for (const entry of Object.values(entries)) {
    if (!existsSync(entry)) {
      throw new ConfigError(`runner entry point ${entry} not found`, [], { hint: 'Build @carelake/pipeline first: npx nx run pipeline:build.' });
    }
  }

  mkdirSync(options.outDir, { recursive: true });
  const nodeMajor = process.versions.node.split('.')[0] ?? '';
  await build({
    entryPoints: entries,
    outdir: options.outDir,
    bundle: true,
    platform: 'node',
    target: `node${nodeMajor}`,
    format: 'cjs',
    external: [...NATIVE_PACKAGES.map((item) => item.name), '@duckdb/node-bindings-*', ...OPTIONAL_EXTERNALS],
    logLevel: 'silent',
    legalComments: 'none',
  });

  for (const item of NATIVE_PACKAGES) copyPackage(item.name, item.paths, join(options.outDir, 'node_modules'));
  cpSync(join(options.repositoryRoot, 'carelake.yaml'), join(options.outDir, 'carelake.yaml'));
  cpSync(join(options.repositoryRoot, 'pipelines'), join(options.outDir, 'pipelines'), { recursive: true });
  const runtimeName = `nodejs${nodeMajor}.x`;
  writeFileSync(join(options.outDir, 'bundle.json'), `${JSON.stringify({ runtimeName, nativePackages: NATIVE_PACKAGES.map((item) => item.name) }, null, 2)}\n`);

  return {
    dir: options.outDir,
    runtimeName,
    scheduledHandler: 'scheduled-run.handler',
    kinesisHandler: 'kinesis-event.handler',
  };
}

/** Returns the bundle-relative path of a repository file, as the runner's environment names it. */
export function bundlePathOf(repositoryRoot: string, file: string): string {
  return relative(repositoryRoot, file).split('\\').join('/');
}

function copyPackage(name: string, paths: string[] | undefined, nodeModules: string): void {
  const source = dirname(require.resolve(`${name}/package.json`));
  const target = join(nodeModules, name);
  for (const path of paths ?? ['.']) {
    cpSync(join(source, path), join(target, path), { recursive: true, dereference: true });
  }
}
