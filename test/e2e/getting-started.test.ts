// Real: the built CLI in a new project folder, an OpenSSH server on 127.0.0.1, the encrypted local
// lake, DuckDB and the SQLite catalog. The pipeline, dataset and policy files are read from the
// getting-started guide itself, with only the SFTP source pointed at the loopback server. Faked:
// the payer's extract, made-up members.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startLoopbackSshd, type LoopbackSshd } from '@carelake/sftp';
import { CLI, REPO_ROOT, type CliRun } from './helpers';

const GUIDE = join(REPO_ROOT, 'docs', 'getting-started.md');

/** Member ids of the made-up extract; no output of the CLI may contain one. */
const MEMBER_IDS = ['M7301', 'M7302', 'M7303'];
const EXTRACT = [
  'Member ID|DOB|Plan|Copay',
  `${MEMBER_IDS[0]}|01/31/1980|GOLD|12.50`,
  `${MEMBER_IDS[1]}|07/04/1975|GOLD|20.00`,
  `${MEMBER_IDS[2]}|12/01/1990|SILVER|35.00`,
].join('\n');

/** Returns the fenced blocks of a language in a Markdown file, in order. */
function fencedBlocks(markdown: string, language: string): string[] {
  const pattern = new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g');
  return [...markdown.matchAll(pattern)].map((match) => match[1] ?? '');
}

describe('getting-started guide', () => {
  let project: string;
  let sshd: LoopbackSshd;
  let drop: string;

  /** Runs the CLI in the project folder, as the guide's reader does. */
  function carelake(args: string[]): CliRun {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CARELAKE_QUERY_THREADS: '1', CARELAKE_QUERY_MEMORY_LIMIT: '512MB', CARELAKE_LOG_LEVEL: 'warn' },
    });
    const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    for (const id of MEMBER_IDS) expect(`${run.stdout}${run.stderr}`).not.toContain(id);
    return run;
  }

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    drop = join(sshd.root, 'outbound', 'eligibility');
    mkdirSync(drop, { recursive: true });
    writeFileSync(join(drop, 'eligibility-2026-11.csv'), EXTRACT);

    project = mkdtempSync(join(tmpdir(), 'carelake-getting-started-'));
    copyFileSync(join(REPO_ROOT, 'carelake.yaml'), join(project, 'carelake.yaml'));
    mkdirSync(join(project, 'pipelines', 'datasets'), { recursive: true });
    mkdirSync(join(project, 'pipelines', 'policies'), { recursive: true });

    const [pipelineYaml, datasetYaml, policyYaml] = fencedBlocks(readFileSync(GUIDE, 'utf8'), 'yaml');
    const pipeline = parse(pipelineYaml ?? '') as { source: Record<string, unknown> };
    pipeline.source = {
      ...pipeline.source,
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      path: drop,
      hostKey: sshd.hostKeyFingerprint,
      privateKey: `file:${sshd.privateKeyPath}`,
    };
    writeFileSync(join(project, 'pipelines', 'eligibility.pipeline.yaml'), stringify(pipeline));
    writeFileSync(join(project, 'pipelines', 'datasets', 'raw.eligibility.dataset.yaml'), datasetYaml ?? '');
    writeFileSync(join(project, 'pipelines', 'policies', 'eligibility.policy.yaml'), policyYaml ?? '');
  });

  afterAll(async () => {
    await sshd?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('follows the guide end to end', () => {
    expect(carelake(['catalog', 'register', 'pipelines/datasets/raw.eligibility.dataset.yaml']).status).toBe(0);

    const run = carelake(['pipeline', 'run', 'pipelines/eligibility.pipeline.yaml']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('pipeline eligibility: 1 file(s) seen, 1 ingested, 0 already ingested');
    expect(run.stdout).toContain('raw.eligibility: 3');
    expect(run.stdout).toContain('quarantined: 0');

    const again = carelake(['pipeline', 'run', 'pipelines/eligibility.pipeline.yaml']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('rows out: 0');

    expect(carelake(['grants', 'check']).status).toBe(0);
    expect(carelake(['grants', 'apply']).status).toBe(0);
    const access = carelake(['grants', 'show', '--principal', 'analyst', '--table', 'raw.eligibility']).stdout.split('\n');
    expect(access.slice(0, 3)).toEqual(['principal analyst', 'raw.eligibility  select, describe  (1 grant(s))', '  columns (2 of 7): plan_code, copay']);

    const query = carelake([
      'query',
      'SELECT plan_code, count(*) AS members, avg(copay) AS mean_copay FROM raw.eligibility GROUP BY plan_code ORDER BY plan_code',
      '--as',
      'analyst',
      '--format',
      'csv',
    ]);
    expect(query.status).toBe(0);
    expect(query.stdout.trim().split('\n')).toEqual(['plan_code,members,mean_copay', 'GOLD,2,16.25', 'SILVER,1,35']);
  });

  it('quarantines a bad row with its position', () => {
    writeFileSync(join(drop, 'eligibility-2026-12.csv'), `Member ID|DOB|Plan|Copay\n${MEMBER_IDS[0]}|31/01/1980|GOLD|12.50\n`);

    const run = carelake(['pipeline', 'run', 'pipelines/eligibility.pipeline.yaml']);
    const listed = carelake(['quarantine', 'list', '--pipeline', 'eligibility']);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('quarantined: 1');
    expect(listed.stdout).toContain('eligibility-2026-12.csv:2 record 0 field birth_date');
    expect(listed.stdout).toContain('is not a calendar date when read as MM/DD/YYYY');
    expect(listed.stdout).not.toContain('31/01/1980');
  });

  it('names the host key on a wrong pin', () => {
    const pipeline = parse(readFileSync(join(project, 'pipelines', 'eligibility.pipeline.yaml'), 'utf8')) as { name: string; source: Record<string, unknown> };
    pipeline.name = 'eligibility-wrong-pin';
    pipeline.source['hostKey'] = `SHA256:${'A'.repeat(43)}`;
    writeFileSync(join(project, 'pipelines', 'wrong-pin.pipeline.yaml'), stringify(pipeline));

    const run = carelake(['pipeline', 'run', 'pipelines/wrong-pin.pipeline.yaml']);

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(sshd.hostKeyFingerprint);
    expect(run.stderr).toContain('hostKey:');
  });

  it.each([
    {
      case: 'a column the analyst is not granted',
      args: ['query', 'SELECT member_id FROM raw.eligibility', '--as', 'analyst'],
      what: 'member_id',
      next: 'carelake grants show --principal analyst',
    },
    {
      case: 'a table the researcher is not granted',
      args: ['query', 'SELECT plan_code FROM raw.eligibility', '--as', 'researcher'],
      what: 'raw.eligibility',
      next: 'carelake grants show --principal researcher',
    },
    {
      case: 'an apply by a principal that is not an admin',
      args: ['grants', 'apply', '--as', 'analyst'],
      what: 'not an admin',
      next: '--as an admin principal',
    },
  ])('explains $case', ({ args, what, next }) => {
    const run = carelake(args);

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(what);
    expect(run.stderr).toContain(next);
  });
});
