import {
  GetWorkGroupCommand,
  type AthenaClient,
  type ResultConfiguration,
  type WorkGroup,
} from '@aws-sdk/client-athena';
import { ConfigError } from '@carelake/core';
import { AthenaRequestError } from './athena-errors';
import type { AthenaQueryEngineOptions } from './athena-options';

/**
 * Read the workgroup once and decide the `ResultConfiguration` each
 * StartQueryExecution sends. A workgroup with `EnforceWorkGroupConfiguration`
 * overrides whatever the client sends, so nothing is sent and the workgroup's
 * location and encryption apply. Otherwise the configured output location and
 * encryption are sent, and the workgroup's own location is the fallback.
 */
export async function resolveResultConfiguration(
  client: AthenaClient,
  options: Pick<AthenaQueryEngineOptions, 'workGroup' | 'outputLocation' | 'encryption'>,
): Promise<ResultConfiguration | undefined> {
  const workGroup = await getWorkGroup(client, options.workGroup);
  if (workGroup.State === 'DISABLED') {
    throw new ConfigError(`Athena workgroup "${options.workGroup}" is disabled`, [
      { keyPath: 'workGroup', message: 'the workgroup is disabled; enable it or name another' },
    ]);
  }

  const configuration = workGroup.Configuration;
  if (configuration?.EnforceWorkGroupConfiguration) return undefined;

  const hasWorkGroupLocation =
    configuration?.ResultConfiguration?.OutputLocation !== undefined ||
    configuration?.ManagedQueryResultsConfiguration?.Enabled === true;
  if (options.outputLocation === undefined && !hasWorkGroupLocation) {
    throw new ConfigError(`Athena workgroup "${options.workGroup}" has no query result location`, [
      {
        keyPath: 'outputLocation',
        message: 'required because the workgroup sets no output location; give an s3:// URI',
      },
    ]);
  }

  const result: ResultConfiguration = {};
  if (options.outputLocation !== undefined) result.OutputLocation = options.outputLocation;
  if (options.encryption !== undefined) {
    result.EncryptionConfiguration =
      options.encryption.encryptionOption === 'SSE_KMS'
        ? { EncryptionOption: 'SSE_KMS', KmsKey: options.encryption.kmsKey }
        : { EncryptionOption: 'SSE_S3' };
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

async function getWorkGroup(client: AthenaClient, name: string): Promise<WorkGroup> {
  let workGroup: WorkGroup | undefined;
  try {
    workGroup = (await client.send(new GetWorkGroupCommand({ WorkGroup: name }))).WorkGroup;
  } catch (error) {
    throw new AthenaRequestError('GetWorkGroup', undefined, error);
  }
  if (workGroup === undefined) {
    throw new ConfigError(`Athena workgroup "${name}" was not found`, [
      { keyPath: 'workGroup', message: 'GetWorkGroup returned no workgroup' },
    ]);
  }
  return workGroup;
}
