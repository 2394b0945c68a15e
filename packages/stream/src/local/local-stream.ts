import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { ConfigIssue } from '@carelake/core';

import { StreamError } from '../errors';
import { checkInteger, throwIfIssues } from '../option-checks';
import { probeLevelDbFolder } from './leveldb-probe';

/** The only address the local stream listens on. */
export const LOCAL_STREAM_HOST = '127.0.0.1';

export interface LocalStreamOptions {
  /** Folder of the stream's LevelDB files, created readable by the owner only when missing. */
  dataDir: string;
  /** TCP port; 0, the default, binds a free one. */
  port?: number;
  /** How long a new stream stays CREATING, 10 ms by default (kinesalite's own default is 500 ms). */
  createStreamMs?: number;
  /** How long a deleted stream stays DELETING, 10 ms by default. */
  deleteStreamMs?: number;
  /** How long a stream stays UPDATING after SplitShard or MergeShards, 10 ms by default. */
  updateStreamMs?: number;
  /** Most open shards in all streams together, 50 by default. */
  shardLimit?: number;
}

export interface LocalStream {
  /** Endpoint URL for `kinesisClientFor`, such as `http://127.0.0.1:43127`. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stop listening and close the LevelDB files. Streams and records stay in `dataDir`. */
  stop(): Promise<void>;
}

/**
 * Start a Kinesis-compatible endpoint (kinesalite 3.3.3) on 127.0.0.1 that keeps
 * its streams and records in `dataDir`, so a restart over the same folder finds
 * them again. Clients must use HTTP/1.1 (`kinesisClientFor` does).
 */
export async function startLocalStream(options: LocalStreamOptions): Promise<LocalStream> {
  const resolved = resolveOptions(options);
  const dataDir = path.resolve(options.dataDir);

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // kinesalite opens LevelDB without an error handler, so a folder locked by another
  // server would crash the process with an uncaught error. Opening it once here
  // turns that into an error the caller can handle.
  await probeLevelDbFolder(dataDir);

  // Loaded here, not at module load, so that commands that never start a local stream do not pay for it.
  const kinesalite = createRequire(__filename)('kinesalite') as typeof import('kinesalite');
  const server = kinesalite({ ...resolved, path: dataDir });
  const port = await listen(server, resolved.port);
  return {
    endpoint: `http://${LOCAL_STREAM_HOST}:${port}`,
    port,
    dataDir,
    stop: () => closeServer(server),
  };
}

function resolveOptions(options: LocalStreamOptions) {
  const resolved = {
    port: options.port ?? 0,
    createStreamMs: options.createStreamMs ?? 10,
    deleteStreamMs: options.deleteStreamMs ?? 10,
    updateStreamMs: options.updateStreamMs ?? 10,
    shardLimit: options.shardLimit ?? 50,
  };
  const issues: ConfigIssue[] = [];
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
    issues.push({ keyPath: 'dataDir', message: 'must be a folder path' });
  }
  checkInteger(issues, 'port', resolved.port, 0, 65_535);
  checkInteger(issues, 'createStreamMs', resolved.createStreamMs, 0, 600_000);
  checkInteger(issues, 'deleteStreamMs', resolved.deleteStreamMs, 0, 600_000);
  checkInteger(issues, 'updateStreamMs', resolved.updateStreamMs, 0, 600_000);
  checkInteger(issues, 'shardLimit', resolved.shardLimit, 1, 10_000);
  throwIfIssues(issues, 'local stream');
  return resolved;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LOCAL_STREAM_HOST);
  }).catch(async (error: unknown) => {
    await closeServer(server).catch(() => undefined);
    throw new StreamError(`local stream could not listen on ${LOCAL_STREAM_HOST}:${port}`, {
      cause: error,
      hint: 'Choose another port, or 0 for a free one.',
    });
  });
  return (server.address() as AddressInfo).port;
}

/** kinesalite's `close` closes LevelDB first and then the HTTP server. */
async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Idle keep-alive sockets of SDK clients would otherwise hold the server open.
    server.closeIdleConnections();
  });
}
