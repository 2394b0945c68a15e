// Real: the built CLI, its deferred loader and the AWS SDK clients, in child processes. Faked:
// nothing; the probe module builds SDK objects and sends no request.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT } from './helpers';

const DEFERRED_SDK = join(REPO_ROOT, 'packages', 'cli', 'dist', 'deferred-sdk.js');
const CLI_MAIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js');

/** Runs a script in a new Node.js process and returns its parsed stdout. */
function runScript(script: string, env: NodeJS.ProcessEnv = {}): unknown {
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  if (result.status !== 0) throw new Error(`script failed with status ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('deferred AWS SDK loads', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'carelake-deferred-sdk-'));
    // A module laid out like a compiled carelake package, which the loader defers for.
    const dist = join(root, 'packages', 'probe', 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(
      join(dist, 'index.js'),
      [
        "const s3 = require('@aws-sdk/client-s3');",
        'const loadedAtImport = Object.keys(require.cache).some((file) => file.includes("client-s3"));',
        "const client = new s3.S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });",
        "const command = new s3.GetObjectCommand({ Bucket: 'bucket', Key: 'key' });",
        'module.exports = {',
        '  loadedAtImport,',
        '  isCommand: command instanceof s3.GetObjectCommand,',
        "  bucket: command.input.Bucket,",
        "  hasSend: typeof client.send === 'function',",
        "  hasNoSuchKey: 'NoSuchKey' in s3,",
        '  loadedAfterUse: Object.keys(require.cache).some((file) => file.includes("client-s3")),',
        '};',
      ].join('\n'),
    );
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('loads no client with the CLI', () => {
    const script = [
      `require(${JSON.stringify(DEFERRED_SDK)}).deferAwsSdkLoads();`,
      `require(${JSON.stringify(CLI_MAIN)});`,
      'const files = Object.keys(require.cache);',
      'process.stdout.write(JSON.stringify({ sdk: files.filter((file) => file.includes("@aws-sdk/")).length, modules: files.length }));',
    ].join('\n');

    const loaded = runScript(script) as { sdk: number; modules: number };

    expect(loaded.sdk).toBe(0);
    expect(loaded.modules).toBeGreaterThan(100);
  });

  it('loads a client on first use', () => {
    const script = [
      `require(${JSON.stringify(DEFERRED_SDK)}).deferAwsSdkLoads();`,
      `process.stdout.write(JSON.stringify(require(${JSON.stringify(join(root, 'packages', 'probe', 'dist', 'index.js'))})));`,
    ].join('\n');

    const probe = runScript(script, { NODE_PATH: join(REPO_ROOT, 'node_modules') });

    expect(probe).toEqual({ loadedAtImport: false, isCommand: true, bucket: 'bucket', hasSend: true, hasNoSuchKey: true, loadedAfterUse: true });
  });

  it('leaves the CLI working', () => {
    const result = spawnSync(process.execPath, [CLI, 'grants', '--help'], { encoding: 'utf8', timeout: 60_000 });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: carelake grants');
  });
});
