import { GlueClient } from '@aws-sdk/client-glue';
import type { MetadataBearer } from '@smithy/types';
import { mockClient, type AwsClientStub, type AwsCommand } from 'aws-sdk-client-mock';
import type { GlueRetryEvent, GlueRetryOptions } from '../glue-retry';

export const TEST_BUCKET = 'carelake-test-lake';
export const TEST_PREFIX = 'lake/';
/** The `s3://` URI of the test lake, which lake key prefixes are appended to. */
export const TEST_LAKE_URI = `s3://${TEST_BUCKET}/${TEST_PREFIX}`;

export interface MockedGlue {
  client: GlueClient;
  mock: AwsClientStub<GlueClient>;
  /** Restore the client's `send` and release it. */
  release(): void;
}

/**
 * Create a real GlueClient whose `send` is replaced by aws-sdk-client-mock, so no
 * request leaves the process. Region and credentials are set here, so that the
 * SDK never looks for them in the environment, in files or on an instance
 * metadata endpoint.
 */
export function mockedGlueClient(): MockedGlue {
  const client = new GlueClient({
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

/** Retry options that record each retry and its wait instead of sleeping. */
export function recordingRetry(): {
  options: GlueRetryOptions;
  retries: GlueRetryEvent[];
  sleepsMs: number[];
} {
  const retries: GlueRetryEvent[] = [];
  const sleepsMs: number[] = [];
  return {
    retries,
    sleepsMs,
    options: {
      sleep: async (delayMs) => {
        sleepsMs.push(delayMs);
      },
      random: () => 0.5,
      onRetry: (event) => retries.push(event),
    },
  };
}

/** Return the inputs of every call of one command, in the order they were sent. */
export function sentInputs<TInput extends object, TOutput extends MetadataBearer>(
  mock: AwsClientStub<GlueClient>,
  command: new (input: TInput) => AwsCommand<TInput, TOutput>,
): TInput[] {
  return mock.commandCalls(command).map((call) => call.args[0].input as TInput);
}

/** Return the input of the one call of a command, and fail the test when there were none or several. */
export function onlyInput<TInput extends object, TOutput extends MetadataBearer>(
  mock: AwsClientStub<GlueClient>,
  command: new (input: TInput) => AwsCommand<TInput, TOutput>,
): TInput {
  const inputs = sentInputs(mock, command);
  const [input] = inputs;
  if (inputs.length !== 1 || input === undefined) {
    throw new Error(`expected one ${command.name} call, found ${inputs.length}`);
  }
  return input;
}
