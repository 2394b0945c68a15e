// Real: the built carelake CLI in child processes over an empty local lake in a temp folder,
// DuckDB, the files it writes and the audit log; Ctrl-C is a real SIGINT. Nothing is faked.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readAuditEvents, type AuditEvent } from '@carelake/audit';
import { closeDuckDb, openDuckDb, quoteLiteral } from '@carelake/tables';
import { CLI, REPO_ROOT, runCli } from './helpers';

/** One row of each value type that must survive every output format. */
const TYPED_SQL = `SELECT 9007199254740993::BIGINT AS big,
       CAST('12345678901234567890.125' AS DECIMAL(38, 3)) AS amount,
       DATE '2024-02-29' AS day,
       TIMESTAMP '2024-03-01 09:45:00.123' AS at,
       ['8480-6', 'a,"b'] AS codes,
       {'code': '29463-7', 'value': 71.4::DOUBLE} AS reading`;

const TYPED_COLUMNS =
  "{'big': 'BIGINT', 'amount': 'DECIMAL(38,3)', 'day': 'DATE', 'at': 'TIMESTAMP', " +
  "'codes': 'VARCHAR[]', 'reading': 'STRUCT(code VARCHAR, value DOUBLE)'}";

/** The typed row as DuckDB's JSON conversion reads it back. */
const TYPED_ROW = {
  big: '9007199254740993',
  amount: '12345678901234567890.125',
  day: '2024-02-29',
  at: '2024-03-01 09:45:00.123',
  codes: ['8480-6', 'a,"b'],
  reading: { code: '29463-7', value: 71.4 },
};

/** A query that streams rows for minutes, so only a stop ends it. */
const ENDLESS_SQL = 'SELECT a.range AS n FROM range(1000000000) AS a';

let root: string;
let lake: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'carelake-query-cli-'));
  lake = join(root, 'lake');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readBack(sql: string): Promise<Record<string, unknown>[]> {
  const duck = await openDuckDb({ threads: 1 });
  try {
    return (await duck.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<
      string,
      unknown
    >[];
  } finally {
    closeDuckDb(duck);
  }
}

async function queryEvents(): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of readAuditEvents(join(lake, '_audit'), { action: 'query.run' }))
    events.push(event);
  return events;
}

/** Start the CLI, wait for `ready`, send SIGINT, and resolve with the exit code and output. */
function interruptWhen(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (stdout: string) => Promise<boolean>,
) {
  const child = spawn(process.execPath, [CLI, '--lake', lake, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CARELAKE_QUERY_THREADS: '1', CARELAKE_LOG_LEVEL: 'warn', ...env },
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    // Keep only the start: the interesting part is that output had begun.
    if (stdout.length < 100_000) stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));

  const poll = setInterval(() => {
    void ready(stdout).then((isReady) => {
      if (isReady && !signalled) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
  }, 20);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('carelake query output', () => {
  it.each([
    { case: 'csv', reader: `read_csv(FILE, header = true, columns = ${TYPED_COLUMNS})` },
    {
      case: 'jsonl',
      reader: `read_json(FILE, format = 'newline_delimited', columns = ${TYPED_COLUMNS})`,
    },
    { case: 'parquet', reader: 'read_parquet(FILE)' },
  ])(
    '$case keeps BIGINT, DECIMAL, DATE, TIMESTAMP, LIST and STRUCT values',
    async ({ case: format, reader }) => {
      const out = join(root, `typed.${format}`);
      const run = runCli(['query', TYPED_SQL, '--format', format, '--out', out], lake);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('');
      expect(((await stat(out)).mode & 0o777).toString(8)).toBe('600');
      expect(await readBack(`SELECT * FROM ${reader.replace('FILE', quoteLiteral(out))}`)).toEqual([
        TYPED_ROW,
      ]);
    },
  );

  it('parquet keeps the column types', async () => {
    const out = join(root, 'types.parquet');
    expect(runCli(['query', TYPED_SQL, '--format', 'parquet', '--out', out], lake).status).toBe(0);

    const types = await readBack(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(out)}))`,
    );
    expect(types.map((row) => `${row['column_name']} ${row['column_type']}`)).toEqual([
      'big BIGINT',
      'amount DECIMAL(38,3)',
      'day DATE',
      'at TIMESTAMP',
      'codes VARCHAR[]',
      'reading STRUCT(code VARCHAR, "value" DOUBLE)',
    ]);
  });

  it('arrow writes an IPC stream with typed columns', async () => {
    const out = join(root, 'types.arrow');
    expect(runCli(['query', TYPED_SQL, '--format', 'arrow', '--out', out], lake).status).toBe(0);

    const table = tableFromIPC(await readFile(out));
    const row = table.get(0)?.toJSON() as Record<string, unknown>;

    expect(table.schema.fields.map((field) => `${field.name} ${String(field.type)}`)).toEqual([
      'big Int64',
      'amount Utf8',
      'day Date32<DAY>',
      'at Timestamp<MILLISECOND>',
      'codes Utf8',
      'reading Utf8',
    ]);
    expect(row['big']).toBe(9007199254740993n);
    expect(row['amount']).toBe('12345678901234567890.125');
    expect(row['day']).toBe(Date.UTC(2024, 1, 29));
    expect(row['at']).toBe(Date.UTC(2024, 2, 1, 9, 45, 0, 123));
    expect(JSON.parse(row['codes'] as string)).toEqual(['8480-6', 'a,"b']);
  });

  it('table shows each type on one line', () => {
    const run = runCli(['query', TYPED_SQL], lake);

    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'big               amount                    day         at                        codes               reading',
      '----------------  ------------------------  ----------  ------------------------  ------------------  -------------------------------',
      '9007199254740993  12345678901234567890.125  2024-02-29  2024-03-01T09:45:00.123Z  ["8480-6","a,\\"b"]  {"code":"29463-7","value":71.4}',
      '(1 row)',
      '',
    ]);
  });

  it('table sizes its columns from the first 1,000 rows and streams the rest', () => {
    const run = runCli(
      [
        'query',
        "SELECT CASE WHEN range < 1000 THEN 'x' ELSE 'longer' END AS v FROM range(1002)",
        '--format',
        'table',
      ],
      lake,
    );

    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['v', '-', 'x']);
    expect(lines.slice(-3)).toEqual(['longer', 'longer', '(1002 rows)']);
  });

  it('stops at --limit', () => {
    const run = runCli(
      ['query', 'SELECT range AS n FROM range(5000)', '--format', 'csv', '--limit', '3'],
      lake,
    );
    expect(run.stdout).toBe('n\n0\n1\n2\n');
  });

  it.each([
    {
      case: 'parquet without --out',
      args: ['--format', 'parquet'],
      message: 'carelake: --format parquet writes binary data and needs --out FILE',
    },
    {
      case: 'arrow without --out',
      args: ['--format', 'arrow'],
      message: 'carelake: --format arrow writes binary data and needs --out FILE',
    },
    {
      case: '--out in a missing folder',
      args: ['--out', 'no-such-folder/x.csv'],
      message: 'carelake: --out no-such-folder/x.csv: folder no-such-folder not found',
    },
  ])('rejects $case before running', ({ args, message }) => {
    const run = runCli(['query', 'SELECT 1', ...args], lake);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
  });
});

describe('carelake query stops', () => {
  it('times out with exit code 124 and records a failure', async () => {
    const started = Date.now();
    const run = runCli(
      ['query', 'SELECT count(*) FROM range(100000000) AS a, range(1000) AS b', '--timeout', '1'],
      lake,
    );

    expect(run.status).toBe(124);
    expect(run.stderr).toBe(
      'carelake: query timed out after 1 s\n  Raise --timeout, or narrow the query with WHERE, partition filters or --limit.\n',
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await queryEvents()).at(-1)?.outcome).toBe('failure');
  });

  it('interrupts on Ctrl-C after the first line with exit code 130', async () => {
    const run = await interruptWhen(['query', ENDLESS_SQL, '--format', 'csv'], {}, async (stdout) =>
      stdout.includes('\n'),
    );

    expect(run.code).toBe(130);
    expect(run.stdout.startsWith('n\n0\n')).toBe(true);
    expect(run.stderr).toBe(
      'carelake: query interrupted by Ctrl-C\n  The rows printed so far are only part of the result.\n',
    );
    const event = (await queryEvents()).at(-1);
    expect(event?.outcome).toBe('failure');
    expect(Number(event?.details['rows'])).toBeGreaterThan(0);
  });

  it('leaves no --out file and no temporary files on Ctrl-C', async () => {
    const folder = join(root, 'interrupted');
    const scratch = join(root, 'scratch');
    await mkdir(folder);
    await mkdir(scratch);
    const started = async (): Promise<boolean> =>
      (await readdir(folder)).some((name) => name.endsWith('.partial'));

    const run = await interruptWhen(
      ['query', ENDLESS_SQL, '--format', 'csv', '--out', join(folder, 'rows.csv')],
      { TMPDIR: scratch },
      started,
    );

    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`rows.csv was not written.`);
    expect(await readdir(folder)).toEqual([]);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('keeps the earlier --out file on failure', async () => {
    const out = join(root, 'kept.csv');
    expect(runCli(['query', 'SELECT 1 AS n', '--format', 'csv', '--out', out], lake).status).toBe(
      0,
    );
    expect(
      runCli(['query', 'SELECT no_such_column', '--format', 'csv', '--out', out], lake).status,
    ).toBe(1);
    expect(await readFile(out, 'utf8')).toBe('n\n1\n');
  });
});
