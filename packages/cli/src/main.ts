import { Command, InvalidArgumentError, Option } from 'commander';
import { describeError, resolvePrincipal } from '@carelake/core';
import { cliLogger, loadCliConfig, withLake, type GlobalOptions } from './context';
import { verifyAudit } from './commands/audit';
import { runDemo } from './commands/demo';
import { listenMllp } from './commands/mllp-listen';
import { formatRunSummary, runPipelineFile } from './commands/pipeline-run';
import { runQuery } from './commands/query';
import { OUTPUT_FORMATS, type OutputFormat } from './output-format';

// A reader that stops early (`carelake query ... | head`) closes the pipe; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

const program = new Command('carelake')
  .description('A governed healthcare analytics lake on a local folder or on AWS.')
  .option('-c, --config <file>', 'carelake.yaml to read (default: ./carelake.yaml if present)')
  .option('--lake <path>', 'lake folder, overriding lake.root')
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command('demo')
  .description('Build a local lake from the bundled synthetic HL7 v2 and FHIR files and query it.')
  .action(async () => {
    const config = loadCliConfig(globals());
    await runDemo(config, cliLogger(), write);
  });

const pipeline = program.command('pipeline').description('Run pipelines.');
pipeline
  .command('run <file>')
  .description('Run a *.pipeline.yaml file against the lake; datasets are read from datasets/ beside it.')
  .action(async (file: string) => {
    const config = loadCliConfig(globals());
    write(formatRunSummary(await runPipelineFile(config, file, cliLogger())));
  });

function portNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port from 0 to 65535');
  return parsed;
}

const mllp = program.command('mllp').description('Receive HL7 v2 messages over MLLP.');
mllp
  .command('listen <file>')
  .description('Listen for a pipeline whose source is mllp: land and acknowledge each message, then ingest in batches.')
  .option('--port <port>', "port to listen on instead of the pipeline file's", portNumber)
  .action(async (file: string, options: { port?: number }) => {
    const config = loadCliConfig(globals());
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await listenMllp(config, file, cliLogger(), {
      stopped,
      write,
      onIngested: (summary) => write(formatRunSummary(summary)),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  });

program
  .command('query <sql>')
  .description('Run SQL over the catalog tables, as a principal.')
  .option('--as <principal>', 'principal to run as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .addOption(new Option('-f, --format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('table'))
  .option('--limit <rows>', 'stop after this many rows', positiveInteger)
  .action(async (sql: string, options: { as?: string; format: OutputFormat; limit?: number }) => {
    const config = loadCliConfig(globals());
    const principal = resolvePrincipal(config, options.as);
    await withLake(config, (lake) =>
      runQuery(lake, sql, {
        principal,
        format: options.format,
        write,
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      }),
    );
  });

const audit = program.command('audit').description('Inspect the audit log.');
audit
  .command('verify')
  .description('Check every link of the hash-chained audit log and report the first broken one.')
  .action(async () => {
    process.exitCode = await verifyAudit(loadCliConfig(globals()), write);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`carelake: ${describeError(error)}\n`);
  process.exitCode = 1;
});
