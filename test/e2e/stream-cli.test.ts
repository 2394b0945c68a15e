// Real: the built `carelake stream put`, `stream run` and `mllp listen --publish` commands in
// child processes, the lake's local stream endpoint (kinesalite on 127.0.0.1), TCP on 127.0.0.1,
// the MLLP client, a local lake in a temporary folder. Nothing is faked. The messages carry no
// real person's data.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MllpClient } from '@carelake/mllp';
import { CLI, REPO_ROOT, runCli } from './helpers';
import { numberedAdt } from './stream-fixtures';

const CHILD_ENV = {
  CARELAKE_QUERY_THREADS: '1',
  CARELAKE_QUERY_MEMORY_LIMIT: '512MB',
  CARELAKE_LOG_LEVEL: 'warn',
};

function startCli(
  args: string[],
  lake: string,
): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
} {
  const child = spawn(process.execPath, [CLI, '--lake', lake, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...CHILD_ENV },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return {
    child,
    output: () => stdout,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stdout);
          if (match) resolve(match);
        };
        child.stdout.on('data', check);
        check();
        child.once('exit', (code) =>
          reject(
            new Error(`carelake ${args.join(' ')} exited with ${code} before printing ${pattern}`),
          ),
        );
      }),
  };
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('carelake stream commands', () => {
  let work: string;
  let lake: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-stream-cli-'));
    lake = join(work, 'lake');
    await symlink(join(REPO_ROOT, 'pipelines', 'datasets'), join(work, 'datasets'));
    await writeFile(
      join(work, 'adt-stream.pipeline.yaml'),
      'name: adt-stream\nsource: { type: kinesis, stream: hl7-adt, shards: 2, bufferSeconds: 0.2 }\ndecode: { format: hl7v2 }\noutputs: [raw.hl7v2_segments, clinical.patients]\n',
    );
    await writeFile(
      join(work, 'adt-mllp.pipeline.yaml'),
      'name: adt-mllp\nsource: { type: mllp, port: 0 }\noutputs: [raw.hl7v2_segments]\n',
    );
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  });

  it('puts a file of messages and reads them into tables', async () => {
    const messages = Array.from({ length: 30 }, (_, number) =>
      Buffer.from(numberedAdt(number, number)).toString('utf8'),
    );
    await writeFile(join(work, 'batch.hl7'), `${messages.join('\r\n')}\r\n`);

    const put = runCli(
      ['stream', 'put', join(work, 'adt-stream.pipeline.yaml'), join(work, 'batch.hl7')],
      lake,
      CHILD_ENV,
    );
    const run = runCli(
      ['stream', 'run', join(work, 'adt-stream.pipeline.yaml'), '--until-caught-up'],
      lake,
      CHILD_ENV,
    );
    const again = runCli(
      ['stream', 'run', join(work, 'adt-stream.pipeline.yaml'), '--until-caught-up'],
      lake,
      CHILD_ENV,
    );

    expect(put.status).toBe(0);
    expect(put.stdout).toContain('accepted: 30');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('records in: 30');
    expect(run.stdout).toContain('clinical.patients: 30');
    expect(run.stdout).toContain('raw.hl7v2_segments: 120');
    expect(again.stdout).toContain('records in: 0');
  });

  it('acknowledges MLLP messages once the stream accepted them', async () => {
    const reader = startCli(['stream', 'run', join(work, 'adt-stream.pipeline.yaml')], lake);
    children.push(reader.child);
    await reader.waitFor(/reading stream hl7-adt/);
    const listener = startCli(
      [
        'mllp',
        'listen',
        join(work, 'adt-mllp.pipeline.yaml'),
        '--publish',
        join(work, 'adt-stream.pipeline.yaml'),
      ],
      lake,
    );
    children.push(listener.child);
    const [, port] = await listener.waitFor(/listening for MLLP on [\d.]+:(\d+)/);

    const client = await MllpClient.connect({ port: Number(port) });
    const first = await client.sendMessage(Buffer.from(numberedAdt(1, 1)).toString('utf8'));
    const second = await client.sendMessage(Buffer.from(numberedAdt(2, 2)).toString('utf8'));
    await client.close();
    await reader.waitFor(/micro-batch \d+ committed: 2 record\(s\) in/);
    const listenerExit = exitOf(listener.child);
    listener.child.kill('SIGINT');
    const readerExit = exitOf(reader.child);
    reader.child.kill('SIGINT');

    expect(first.applicationAck?.code).toBe('AA');
    expect(second.applicationAck?.acknowledgedControlId).toBe('CTL-2');
    expect(await listenerExit).toBe(0);
    expect(listener.output()).toContain('published 2 message(s) to stream hl7-adt');
    expect(await readerExit).toBe(0);
    expect(reader.output()).toContain('clinical.patients: 2');
  });
});
