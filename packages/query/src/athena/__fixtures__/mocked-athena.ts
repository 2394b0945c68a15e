import { AthenaClient } from '@aws-sdk/client-athena';
import { ManualClock, type Principal } from '@carelake/core';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { Sleep } from '../athena-options';

export const ANALYST: Principal = { name: 'analyst-east', role: 'user', groups: ['analysts-east'] };

export interface MockedAthena {
  client: AthenaClient;
  mock: AwsClientStub<AthenaClient>;
}

/**
 * Create a real AthenaClient whose `send` is replaced by aws-sdk-client-mock, so no
 * request leaves the process. The region and static credentials are given, so
 * the SDK never looks them up in the environment or the instance metadata service.
 */
export function mockedAthena(): MockedAthena {
  const client = new AthenaClient({
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'test-secret-key-not-real',
    },
  });
  return { client, mock: mockClient(client) };
}

export interface SentRequest {
  command: string;
  input: unknown;
}

/** List every command sent so far, by command name and input, in order. */
export function sentRequests(mock: AwsClientStub<AthenaClient>): SentRequest[] {
  return mock.calls().map((call) => {
    const command = call.args[0];
    return { command: command.constructor.name, input: command.input };
  });
}

/** Create a sleep that only advances a manual clock, and the list of delays it was called with. */
export function recordingSleep(
  clock: ManualClock,
  onSleep?: (call: number) => void,
): { sleep: Sleep; delaysMs: number[] } {
  const delaysMs: number[] = [];
  const sleep: Sleep = async (ms) => {
    delaysMs.push(ms);
    clock.advance(ms);
    onSleep?.(delaysMs.length);
  };
  return { sleep, delaysMs };
}
