import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ensureStream,
  kinesisClientFor,
  startLocalStream,
  StreamError,
  type LocalStream,
} from '@carelake/stream';
import { PipelineError } from '../errors';

type KinesisClient = ReturnType<typeof kinesisClientFor>;

/** Total wait for the process that opened the endpoint folder to write its address. */
const ADDRESS_WAIT_MS = 3000;
const ADDRESS_POLL_MS = 100;

/** The lake's local Kinesis-compatible endpoint and a client for it. */
export interface LakeStreamEndpoint {
  client: KinesisClient;
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** True when this process started the endpoint, false when it uses one another process runs. */
  owned: boolean;
  /** Create a stream unless it exists, and wait until it is ACTIVE. */
  ensureStream(streamName: string, shardCount: number): Promise<void>;
  /** Destroy the client and, when this process started the endpoint, stop it. */
  close(): Promise<void>;
}

/** Folder of the local endpoint's LevelDB files: `<lake>/_state/streams/endpoint`. */
export function localEndpointFolder(lakeRoot: string): string {
  return join(lakeRoot, '_state', 'streams', 'endpoint');
}

/**
 * Open the lake's local stream endpoint (kinesalite on 127.0.0.1, a free port, its data in
 * `_state/streams/endpoint`). Only one process can open that folder, so the process that
 * starts the endpoint writes its address beside it, and other processes of the same lake
 * (a `stream put` while a `stream run` reads) connect to it instead.
 * @throws PipelineError when the folder is in use and no running endpoint's address is found.
 */
export async function openLakeStreamEndpoint(lakeRoot: string): Promise<LakeStreamEndpoint> {
  const dataDir = localEndpointFolder(lakeRoot);
  const addressFile = `${dataDir}.address`;
  let local: LocalStream;
  try {
    local = await startLocalStream({ dataDir });
  } catch (error) {
    if (!(error instanceof StreamError)) throw error;
    const endpoint = await waitForAddress(addressFile);
    if (endpoint === undefined) {
      throw new PipelineError(
        `the local stream folder ${dataDir} is in use and no running endpoint wrote its address`,
        {
          cause: error,
          hint: 'Another carelake process of this lake may be starting or stopping its stream endpoint; run the command again once it has.',
        },
      );
    }
    return endpointFor(kinesisClientFor(endpoint), endpoint, false, async () => undefined);
  }

  await writeFile(
    addressFile,
    `${JSON.stringify({ endpoint: local.endpoint, pid: process.pid })}\n`,
    { mode: 0o600 },
  );
  return endpointFor(kinesisClientFor(local.endpoint), local.endpoint, true, async () => {
    await rm(addressFile, { force: true });
    await local.stop();
  });
}

function endpointFor(
  client: KinesisClient,
  endpoint: string,
  owned: boolean,
  stop: () => Promise<void>,
): LakeStreamEndpoint {
  return {
    client,
    endpoint,
    owned,
    ensureStream: (streamName, shardCount) => ensureStream(client, streamName, shardCount),
    async close() {
      client.destroy();
      await stop();
    },
  };
}

async function waitForAddress(addressFile: string): Promise<string | undefined> {
  const deadline = Date.now() + ADDRESS_WAIT_MS;
  for (;;) {
    try {
      const { endpoint } = JSON.parse(await readFile(addressFile, 'utf8')) as {
        endpoint?: unknown;
      };
      if (typeof endpoint === 'string') return endpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError))
        throw error;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, ADDRESS_POLL_MS));
  }
}
