import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  LakeFormationClient,
  ListDataCellsFilterCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
  ListResourcesCommand,
} from '@aws-sdk/client-lakeformation';
import type { MetadataBearer } from '@smithy/types';
import { mockClient, type AwsClientStub, type AwsCommand } from 'aws-sdk-client-mock';

/** The account of the test Data Catalog (the example account id of AWS documentation). */
export const TEST_ACCOUNT = '111122223333';

export interface MockedLakeFormation {
  client: LakeFormationClient;
  mock: AwsClientStub<LakeFormationClient>;
  release(): void;
}

/**
 * Create a real LakeFormationClient whose `send` is replaced by aws-sdk-client-mock, so no request
 * leaves the process. Region and credentials are set here, so that the SDK never looks for them
 * in the environment, in files or on an instance metadata endpoint.
 */
export function mockedLakeFormation(): MockedLakeFormation {
  const client = new LakeFormationClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAFAKEFORTESTS0000', secretAccessKey: 'fake-secret-for-tests' },
  });
  const mock = mockClient(client);
  return {
    client,
    mock,
    release: () => {
      mock.restore();
      client.destroy();
    },
  };
}

/**
 * Record responses to the read calls as from an account where Lake Formation permissions are in force and nothing
 * carelake manages exists yet: settings without IAM-only defaults, no permissions, LF-tags,
 * assignments or filters, and the lake bucket registered.
 */
export function recordEmptyLake(mock: AwsClientStub<LakeFormationClient>): void {
  mock.on(GetDataLakeSettingsCommand).resolves({
    DataLakeSettings: {
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${TEST_ACCOUNT}:role/carelake-deploy` }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    },
  });
  mock.on(ListPermissionsCommand).resolves({ PrincipalResourcePermissions: [] });
  mock.on(ListLFTagsCommand).resolves({ LFTags: [] });
  mock.on(GetResourceLFTagsCommand).resolves({});
  mock.on(ListDataCellsFilterCommand).resolves({ DataCellsFilters: [] });
  mock.on(ListResourcesCommand).resolves({ ResourceInfoList: [{ ResourceArn: 'arn:aws:s3:::carelake-test-lake/lake' }] });
}

/** Return the inputs of every call of one command, in the order they were sent. */
export function sentInputs<TInput extends object, TOutput extends MetadataBearer>(
  mock: AwsClientStub<LakeFormationClient>,
  command: new (input: TInput) => AwsCommand<TInput, TOutput>,
): TInput[] {
  return mock.commandCalls(command).map((call) => call.args[0].input as TInput);
}

/** Names of the commands sent, in order. */
export function sentCommandNames(mock: AwsClientStub<LakeFormationClient>): string[] {
  return mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);
}

/** Create an error named like the ones the SDK client throws for a service error. */
export function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
