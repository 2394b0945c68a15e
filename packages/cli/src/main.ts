import { Command, InvalidArgumentError, Option } from 'commander';
import { DICTIONARY_FORMATS, type DictionaryFormat } from '@carelake/catalog';
import { resolvePrincipal } from '@carelake/core';
import { formatCliError } from './errors';
import { ANY_BACKEND, cliLogger, loadCliConfig, withLake, type GlobalOptions } from './context';
import { loadAuditConfig, mirrorAudit, queryAudit, verifyAudit } from './commands/audit';
import { inferDatasetDraft } from './commands/catalog-infer';
import { createKeyFile, rotateLakeKey } from './commands/keys';
import { listQuarantine, showQuarantineItem } from './commands/quarantine';
import {
  describeCatalogTable,
  diffCatalogFile,
  exportCatalog,
  listCatalogTables,
  registerCatalogFiles,
  searchCatalog,
  writeCatalogHistory,
  saveCatalogQuery,
  listCatalogQueries,
  deleteCatalogQuery,
  querySqlOf,
} from './commands/catalog';
import { formatDeidRunSummary, printDeidReport, runDeidCommand } from './commands/deid';
import { runDemo } from './commands/demo';
import { listenMllp } from './commands/mllp-listen';
import { applyGrants, checkGrants, planGrants, showGrants, type PolicySources } from './commands/grants';
import type { PlanListing } from './commands/plan-listing';
import { formatRunSummary, runPipelineFile } from './commands/pipeline-run';
import { formatStreamPutSummary, formatStreamRunSummary, putStreamFiles, runStreamPipelineFile } from './commands/stream';
import { checkQueryOutput, interruptionExitCode } from './commands/query';
import { AS_IGNORED_ON_AWS, IAM_CALLER, runLakeQuery } from './commands/query-athena';
import { refreshVocabularyCommand, writeVocabularyStatus } from './commands/vocab';
import { OUTPUT_FORMATS, type OutputFormat } from './output-format';
import { addLifecycleCommands } from './commands/lifecycle-command';

const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function isoTime(value: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) throw new InvalidArgumentError('must be an ISO 8601 time such as 2026-03-01T08:00:00Z');
  return time;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

/** The carelake command tree; building it runs nothing, so docs/reference/cli.md is generated from it. */
export const program = new Command('carelake')
  .description('A governed healthcare analytics lake on a local folder or on AWS.')
  .option('-c, --config <file>', 'carelake.yaml to read (default: ./carelake.yaml if present)')
  .option('--lake <path>', 'lake folder, overriding lake.root')
  .option('-v, --verbose', 'log progress as JSON lines on stderr, not only warnings (CARELAKE_LOG_LEVEL sets a level)')
  .showHelpAfterError()
  .hook('preAction', () => {
    if (program.opts<{ verbose?: boolean }>().verbose && process.env['CARELAKE_LOG_LEVEL'] === undefined) process.env['CARELAKE_LOG_LEVEL'] = 'info';
  });

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
  .option('--datasets <dir>', 'folder of *.dataset.yaml files (default: datasets beside the pipeline file)')
  .action(async (file: string, options: { datasets?: string }) => {
    const config = loadCliConfig(globals());
    write(formatRunSummary(await runPipelineFile(config, file, cliLogger(), options)));
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
  .option('--publish <stream-pipeline>', 'put each message on the stream of this *.pipeline.yaml (source type kinesis) and acknowledge it once the stream accepted it, instead of landing it')
  .action(async (file: string, options: { port?: number; publish?: string }) => {
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
      ...(options.publish !== undefined ? { publish: options.publish } : {}),
    });
  });

const stream = program.command('stream').description('Publish to and read from Kinesis streams on the local endpoint.');
stream
  .command('run <pipeline>')
  .description("Read a pipeline's kinesis stream into its tables in micro-batches, until Ctrl-C; the local endpoint runs in the lake's _state/streams/endpoint.")
  .option('--until-caught-up', 'stop once every shard is read to its newest record, committing what is buffered')
  .action(async (file: string, options: { untilCaughtUp?: boolean }) => {
    const config = loadCliConfig(globals());
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    const summary = await runStreamPipelineFile(config, file, cliLogger(), { untilCaughtUp: options.untilCaughtUp ?? false, stopped, write });
    write(formatStreamRunSummary(summary));
  });
stream
  .command('put <pipeline> <files...>')
  .description("Publish HL7 v2 (.hl7) and FHIR (.json, .ndjson) files to a pipeline's kinesis stream, one message or resource per record.")
  .action(async (file: string, files: string[]) => {
    const summary = await putStreamFiles(loadCliConfig(globals()), file, files, cliLogger());
    write(formatStreamPutSummary(summary));
    if (summary.failed > 0) process.exitCode = 1;
  });

function positiveSeconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return parsed;
}

/** Write a block of query output, waiting while the reader of standard output catches up. */
const writeWithBackPressure = (text: string): Promise<void> =>
  new Promise((resolveWrite) => {
    if (process.stdout.write(`${text}\n`)) resolveWrite();
    else process.stdout.once('drain', () => resolveWrite());
  });

program
  .command('query [sql]')
  .description(
    'Run one SELECT over the tables granted to a principal, as the policies in force allow (see carelake grants). ' +
      'Trino (Athena) functions are translated; see docs/guides/query.md. On the aws backend the query runs in Athena ' +
      'as your IAM identity (see docs/guides/query-athena.md).',
  )
  .option('--as <principal>', 'principal to run as, reading only its grants (default: CARELAKE_PRINCIPAL or defaults.principal); no effect on the aws backend')
  .addOption(new Option('-f, --format <format>', 'output format; parquet and arrow (IPC stream) need --out').choices([...OUTPUT_FORMATS]).default('table'))
  .option('--out <file>', 'write the result to this file, replaced only when complete, instead of standard output')
  .option('--limit <rows>', 'stop after this many rows', positiveInteger)
  .option('--timeout <seconds>', 'stop the query after this many seconds, output included, and exit with code 124', positiveSeconds)
  .option('--saved <name>', 'run a saved query (see carelake catalog queries) instead of SQL given here')
  .action(async (sqlArgument: string | undefined, options: { as?: string; format: OutputFormat; out?: string; limit?: number; timeout?: number; saved?: string }) => {
    const config = loadCliConfig(globals(), { backends: ANY_BACKEND });
    if (config.backend === 'aws' && options.as !== undefined) process.stderr.write(`${AS_IGNORED_ON_AWS}\n`);
    const principal = config.backend === 'aws' ? IAM_CALLER : resolvePrincipal(config, options.as);
    const sql = await querySqlOf(config, sqlArgument, options.saved);
    await checkQueryOutput(options);
    try {
      await withLake(config, (lake) =>
        runLakeQuery(config, lake, sql, {
          principal,
          format: options.format,
          write: writeWithBackPressure,
          ...(options.out !== undefined ? { out: options.out } : {}),
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
        }),
      );
    } catch (error) {
      const exitCode = interruptionExitCode(error);
      if (exitCode === undefined) throw error;
      process.stderr.write(`carelake: ${formatCliError(error)}\n`);
      process.exitCode = exitCode;
    }
  });

const catalog = program.command('catalog').description('Register, describe and search the tables of the lake.');
catalog
  .command('register <files...>')
  .description('Register *.dataset.yaml files: check them all first, then create or update their tables.')
  .option('--as <principal>', 'principal to register as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .action(async (files: string[], options: { as?: string }) => {
    const config = loadCliConfig(globals(), { backends: ANY_BACKEND });
    await registerCatalogFiles(config, files, resolvePrincipal(config, options.as), write);
  });
catalog
  .command('describe <table>')
  .description('Show a table: steward metadata, partitions and columns.')
  .action(async (table: string) => {
    await describeCatalogTable(loadCliConfig(globals(), { backends: ANY_BACKEND }), table, write);
  });
catalog
  .command('list [database]')
  .description('List the registered tables, of one database or of all.')
  .action(async (database: string | undefined) => {
    await listCatalogTables(loadCliConfig(globals(), { backends: ANY_BACKEND }), database, write);
  });
catalog
  .command('search <words...>')
  .description('Find tables by words in names, descriptions, tags and columns.')
  .action(async (words: string[]) => {
    await searchCatalog(loadCliConfig(globals(), { backends: ANY_BACKEND }), words, write);
  });
catalog
  .command('diff <file>')
  .description('Show how the catalog differs from a dataset file; exits 1 when it does.')
  .action(async (file: string) => {
    process.exitCode = await diffCatalogFile(loadCliConfig(globals(), { backends: ANY_BACKEND }), file, write);
  });
catalog
  .command('export')
  .description('Write a data dictionary of the catalog.')
  .addOption(new Option('--format <format>', 'document format').choices([...DICTIONARY_FORMATS]).default('markdown'))
  .option('--out <file>', 'file to write instead of standard output')
  .option('--database <name>', 'only the tables of this database')
  .action(async (options: { format: DictionaryFormat; out?: string; database?: string }) => {
    await exportCatalog(loadCliConfig(globals(), { backends: ANY_BACKEND }), options, write);
  });
catalog
  .command('history <table>')
  .description("Show a table's catalog changes from the audit log.")
  .action(async (table: string) => {
    const hint = 'On the aws backend, run carelake audit query --table TABLE --action catalog.table.update (and catalog.table.create).';
    await writeCatalogHistory(loadCliConfig(globals(), { hint }), table, write);
  });
catalog
  .command('infer <folder>')
  .description('Read the schema of the Parquet files under a folder and draft a dataset file for it.')
  .requiredOption('--table <name>', 'database.table the draft describes')
  .option('--out <file>', 'write the draft to this new file instead of standard output')
  .action(async (folder: string, options: { table: string; out?: string }) => {
    await inferDatasetDraft(folder, options, write);
  });
catalog
  .command('save-query <name> <sql>')
  .description('Save a query under a name, for `carelake query --saved NAME`.')
  .option('--description <text>', 'what the query answers')
  .option('--as <principal>', 'principal to save as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .action(async (name: string, sql: string, options: { description?: string; as?: string }) => {
    const config = loadCliConfig(globals());
    const input = { name, sql, ...(options.description !== undefined ? { description: options.description } : {}) };
    await saveCatalogQuery(config, input, resolvePrincipal(config, options.as), write);
  });
catalog
  .command('queries')
  .description('List the saved queries.')
  .action(async () => {
    await listCatalogQueries(loadCliConfig(globals()), write);
  });
catalog
  .command('delete-query <name>')
  .description('Delete a saved query.')
  .option('--as <principal>', 'principal to delete as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .action(async (name: string, options: { as?: string }) => {
    const config = loadCliConfig(globals());
    await deleteCatalogQuery(config, name, resolvePrincipal(config, options.as), write);
  });

const vocab = program.command('vocab').description('Load code system releases into the versioned vocab tables, and check them for overdue releases.');
vocab
  .command('refresh <system>')
  .description('Load a release of a code system into vocab.<system> and print its change report; loading the same release again changes nothing.')
  .option('--source <file>', 'source definition to use instead of vocabularies/<system>.source.yaml')
  .option('--release <path>', "folder (or s3:// URI) of the downloaded release, instead of the source definition's location")
  .option('--version <version>', "the release's version, when its files do not show it")
  .option('--effective <date>', 'first day the release applies, YYYY-MM-DD, when its files do not show it')
  .option('--sources <folder>', 'folder of the *.source.yaml files (default: vocabularies/ beside carelake.yaml)')
  .option('--datasets <folder>', 'folder of the *.dataset.yaml files (default: pipelines/datasets/ beside carelake.yaml)')
  .action(async (system: string, options: { source?: string; release?: string; version?: string; effective?: string; sources?: string; datasets?: string }) => {
    await refreshVocabularyCommand(loadCliConfig(globals()), system, options, cliLogger(), write);
  });
vocab
  .command('status')
  .description('Show the release loaded per code system and whether it is overdue by its publication schedule; exits 1 when one is.')
  .option('--sources <folder>', 'folder of the *.source.yaml files (default: vocabularies/ beside carelake.yaml)')
  // Tests pin the date that overdue releases are judged on.
  .addOption(new Option('--today <date>', 'date to judge on, YYYY-MM-DD').hideHelp())
  .action(async (options: { sources?: string; today?: string }) => {
    process.exitCode = await writeVocabularyStatus(loadCliConfig(globals()), options, write);
  });

const grants = program.command('grants').description('Check, plan and apply the policies of pipelines/policies, and show what a principal may read.');
const policyOptions = (command: Command): Command =>
  command
    .option('--policies <dir>', 'folder of *.policy.yaml files (default: pipelines/policies beside carelake.yaml)')
    .option('--datasets <dir>', 'folder of *.dataset.yaml files (default: datasets beside the policies folder)');
policyOptions(grants.command('check'))
  .description('Check the policy files against the datasets, the registered tables and carelake.yaml; exits 1 on an error.')
  .action(async (options: PolicySources) => {
    process.exitCode = await checkGrants(loadCliConfig(globals(), { backends: ANY_BACKEND }), options, write);
  });
policyOptions(grants.command('plan'))
  .description('Show how the policy files differ from the policies in force in the lake, or in Lake Formation on the aws backend.')
  .option('--detail', 'list every tag assignment instead of counting them')
  .action(async (options: PolicySources & PlanListing) => {
    await planGrants(loadCliConfig(globals(), { backends: ANY_BACKEND }), options, write, options);
  });
policyOptions(grants.command('apply'))
  .description('Check the policy files and put them in force (in Lake Formation on the aws backend); queries enforce them from then on. Needs an admin.')
  .option('--as <principal>', 'principal of carelake.yaml to apply as, which must be an admin (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .option('--detail', 'list every tag assignment instead of counting them')
  .action(async (options: PolicySources & PlanListing & { as?: string }) => {
    const config = loadCliConfig(globals(), { backends: ANY_BACKEND });
    await applyGrants(config, options, resolvePrincipal(config, options.as), write, options);
  });
policyOptions(grants.command('show'))
  .description('Show what a principal may read under the policies in force: tables, columns, row filters and the grants behind them.')
  .requiredOption('--principal <name>', 'principal of carelake.yaml to describe')
  .option('--table <name>', 'describe only this table, as database.table')
  .action(async (options: PolicySources & { principal: string; table?: string }) => {
    await showGrants(loadCliConfig(globals(), { backends: ANY_BACKEND }), options.principal, write, options, options.table);
  });

const audit = program.command('audit').description('Inspect the audit log.');
audit
  .command('verify')
  .description('Check every link of the hash-chained audit log and report the first broken one.')
  .action(async () => {
    process.exitCode = await verifyAudit(loadCliConfig(globals()), write);
  });
audit
  .command('query')
  .description('List the audit events that match every filter given, oldest first; on backend aws, from the Object Lock mirror.')
  .option('--principal <name>', 'events of this principal')
  .option('--table <name>', 'events that acted on this table (database.table) or lake key')
  .option('--action <action>', 'events of this action, such as query.run or table.commit')
  .option('--since <time>', 'events at or after this ISO 8601 time', isoTime)
  .option('--until <time>', 'events before this ISO 8601 time', isoTime)
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'jsonl']).default('text'))
  .action(async (options: { principal?: string; table?: string; action?: string; since?: Date; until?: Date; format: 'text' | 'jsonl' }) => {
    const { table, ...rest } = options;
    await queryAudit(loadAuditConfig(globals()), { ...rest, ...(table !== undefined ? { resource: table } : {}) }, write);
  });

const quarantineCommand = program.command('quarantine').description('Inspect the parts of inputs that pipelines could not read.');
quarantineCommand
  .command('list')
  .description('List quarantined items with their stage, position and reason; never their content.')
  .option('--pipeline <name>', 'items of this pipeline only')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'jsonl']).default('text'))
  .action(async (options: { pipeline?: string; format: 'text' | 'jsonl' }) => {
    await listQuarantine(loadCliConfig(globals()), options, write);
  });
quarantineCommand
  .command('show <key>')
  .description('Print one quarantined item with its rejected content, which can contain health data. Needs an admin; audited.')
  .option('--as <principal>', 'principal to read as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .action(async (key: string, options: { as?: string }) => {
    const config = loadCliConfig(globals());
    await showQuarantineItem(config, key, resolvePrincipal(config, options.as), write);
  });

const keys = program.command('keys').description("Manage the key that encrypts the local lake's objects.");
keys
  .command('create')
  .description('Create the key file carelake.yaml names (keys.path), readable by its owner only.')
  .action(async () => {
    await createKeyFile(loadCliConfig(globals()), write);
  });
keys
  .command('rotate')
  .description('Rewrap every object of the lake under a new key file, without re-encrypting data. Needs an admin.')
  .requiredOption('--to <file>', 'the new key file; created when it does not exist')
  .action(async (options: { to: string }) => {
    await rotateLakeKey(loadCliConfig(globals()), options.to, write);
  });

const deid = program.command('deid').description('De-identify clinical tables with the profiles of pipelines/policies/*.deid.yaml.');
deid
  .command('run <profile-file>')
  .description('Rebuild the deid (Safe Harbor) or deid_limited tables of a *.deid.yaml profile and write its report. Needs an admin.')
  .option('--as <principal>', 'principal to run as (default: CARELAKE_PRINCIPAL or defaults.principal)')
  .option('--datasets <dir>', 'folder of *.dataset.yaml files (default: datasets beside the profile\'s folder)')
  .action(async (file: string, options: { as?: string; datasets?: string }) => {
    const config = loadCliConfig(globals());
    const { as, ...rest } = options;
    write(formatDeidRunSummary(await runDeidCommand(config, file, resolvePrincipal(config, as), rest)));
  });
deid
  .command('report <profile>')
  .description('Print the newest report of a profile, named by its file name without .deid.yaml.')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
  .action(async (profile: string, options: { format: 'text' | 'json' }) => {
    await printDeidReport(loadCliConfig(globals()), profile, options.format, write);
  });

audit
  .command('mirror')
  .description('Copy the audit chain to the S3 Object Lock bucket aws.auditBucket, only what it lacks; needs backend aws.')
  .action(async () => {
    process.exitCode = await mirrorAudit(loadAuditConfig(globals()), write);
  });

addLifecycleCommands(program, globals, write);

program
  .command('deploy')
  .description('Show how the CDK app in infra/ differs from its reviewed snapshot; real deploys run npx cdk deploy in infra/.')
  .option('--dry-run', 'synthesize and compare with infra/snapshot, without AWS')
  .option('--update-snapshot', 'with --dry-run: write the synthesized templates as the new reviewed snapshot')
  .action(async (options: { dryRun?: boolean; updateSnapshot?: boolean }) => {
    // Loaded here so that other commands do not load aws-cdk-lib.
    const { repositoryRootOf, runDeploy } = await import('./commands/deploy.js');
    const config = loadCliConfig(globals());
    process.exitCode = await runDeploy({ repositoryRoot: repositoryRootOf(config.sourceFile), ...options }, write);
  });

/** Runs the command named by argv; bin/carelake.js calls it, so that importing this module only builds `program`. */
export async function runCli(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`carelake query ... | head`) closes the pipe; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.stderr.write(`carelake: ${formatCliError(error)}\n`);
    process.exitCode = 1;
  }
}
