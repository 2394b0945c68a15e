// Real: the catalog commands, openLake on the aws backend with real S3 and Glue clients, the
// GlueCatalog, the audit chain and its mirror. Faked: S3 (in-memory buckets) and Glue (an in-memory
// Data Catalog), both behind aws-sdk-client-mock, so no request leaves the process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand, UpdateTableCommand } from '@aws-sdk/client-glue';
import { describeError, resolvePrincipal } from '@carelake/core';
import { loadCliConfig, ANY_BACKEND } from '../context';
import { CliUsageError } from '../errors';
import { createAwsProject, VISITS_DATASET, type AwsProject } from './__fixtures__/aws-lake';
import { describeCatalogTable, listCatalogTables, registerCatalogFiles } from './catalog';

describe('catalog commands on the aws backend', () => {
  let project: AwsProject;
  let output: string[];
  const write = (text: string): void => void output.push(text);

  beforeEach(async () => {
    project = await createAwsProject();
    output = [];
    await writeFile(join(project.folder, 'visits.dataset.yaml'), VISITS_DATASET);
  });

  afterEach(() => project.cleanup());

  const register = (): Promise<void> =>
    registerCatalogFiles(project.config, [join(project.folder, 'visits.dataset.yaml')], resolvePrincipal(project.config, 'admin'), write);

  it('register creates then updates table', async () => {
    await register();
    await writeFile(join(project.folder, 'visits.dataset.yaml'), VISITS_DATASET.replace('Visits per facility and month.', 'Visits per facility and calendar month.'));
    await register();

    const created = project.glue.commandCalls(CreateTableCommand).map((call) => call.args[0].input);
    expect(created).toHaveLength(1);
    expect(created[0]?.DatabaseName).toBe('clinical');
    expect(created[0]?.TableInput?.Name).toBe('visits');
    expect(created[0]?.TableInput?.StorageDescriptor?.Location).toBe('s3://carelake-test-lake/lake/curated/clinical/visits/');
    expect(created[0]?.TableInput?.StorageDescriptor?.Columns?.map((column) => [column.Name, column.Type])).toEqual([
      ['visit_month', 'string'],
      ['facility', 'string'],
      ['visits', 'bigint'],
    ]);
    const updated = project.glue.commandCalls(UpdateTableCommand).map((call) => call.args[0].input);
    expect(updated).toHaveLength(1);
    expect(updated[0]?.TableInput?.Description).toBe('Visits per facility and calendar month.');
    expect(output).toEqual(['clinical.visits: created (version 1)', 'clinical.visits: updated (version 2)']);
  });

  it('register records catalog audit events', async () => {
    await register();

    const events = project.auditEvents().filter((event) => event.action.startsWith('catalog.'));
    expect(events.map((event) => [event.action, event.principal, event.resources.join(',')])).toEqual([['catalog.table.create', 'admin', 'clinical.visits']]);
  });

  it('list and describe read Glue', async () => {
    await register();
    output = [];

    await listCatalogTables(project.config, 'clinical', write);
    await describeCatalogTable(project.config, 'clinical.visits', write);

    expect(output[0]).toBe('clinical.visits  deidentified  Visits per facility and month.');
    expect(output[1]).toBe('(1 table)');
    expect(output[2]).toMatch(/^clinical\.visits \(version 1, updated /);
    expect(output.some((line) => /^visit_month\s+string\s+/.test(line))).toBe(true);
  });

  it('register names denied Glue call', async () => {
    const denied = Object.assign(new Error('User: arn:aws:sts::111122223333:assumed-role/analyst/s is not authorized to perform: glue:CreateTable'), {
      name: 'AccessDeniedException',
    });
    project.glue.on(CreateTableCommand).rejects(denied);

    const error = await register().catch((rejection: unknown) => rejection);

    expect(describeError(error)).toBe(
      'Glue CreateTable on table clinical.visits failed: AccessDeniedException ' +
        'Check the IAM policy and the Lake Formation permissions of the principal for this database and table.',
    );
    expect(project.glue.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });
});

describe('loadCliConfig', () => {
  let project: AwsProject;

  beforeEach(async () => {
    project = await createAwsProject();
  });

  afterEach(() => project.cleanup());

  it.each([
    { case: 'a local-only command', options: {}, expected: 'backend "aws" cannot run this command yet Set backend: local in carelake.yaml, or CARELAKE_BACKEND=local.' },
    {
      case: 'a command hint',
      options: { hint: 'Run carelake audit query instead.' },
      expected: 'backend "aws" cannot run this command yet Run carelake audit query instead.',
    },
  ])('rejects aws for $case', ({ options, expected }) => {
    let rejection: unknown;
    try {
      loadCliConfig({ config: join(project.folder, 'carelake.yaml') }, options);
    } catch (error) {
      rejection = error;
    }

    expect(rejection).toBeInstanceOf(CliUsageError);
    expect(describeError(rejection)).toBe(expected);
  });

  it('accepts aws for two-backend commands', () => {
    const config = loadCliConfig({ config: join(project.folder, 'carelake.yaml') }, { backends: ANY_BACKEND });

    expect(config.backend).toBe('aws');
    expect(config.aws?.bucket).toBe('carelake-test-lake');
  });
});
