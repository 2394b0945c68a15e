import {
  ConfigError,
  describeError,
  silentLogger,
  type ConfigIssue,
  type Logger,
} from '@carelake/core';
import {
  checkInteger,
  loadHostKeyPolicy,
  resolveConnectOptions,
  type ResolvedConnectOptions,
  type SftpConnectOptions,
} from './connect-options';
import { SftpConnection } from './connection';
import { ConnectionPool } from './connection-pool';
import { transferOnce, type SftpSink, type TransferResult } from './download';
import { SftpConnectionError } from './errors';
import type { HostKeyPolicy } from './host-verifier';
import {
  listRemoteFiles,
  type SftpFileEntry,
  type SftpListing,
  type SftpListRequest,
} from './listing';
import { runPostActionOnce, type PostAction, type PostActionOutcome } from './post-action';
import {
  DEFAULT_RETRY_POLICY,
  realSleep,
  resolveRetryPolicy,
  withRetries,
  type AttemptOutcome,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
} from './retry';
import { selectStableFiles, type StabilityOptions, type UnstableFile } from './stability';
import type { RejectedRemoteName } from './remote-names';

export interface SftpSourceOptions extends SftpConnectOptions {
  /** Connections opened at most; each runs one operation at a time. Default 4. */
  maxConnections?: number;
  /** Attempts and backoff for listings and downloads after a lost connection. Default 3 attempts, 500 ms doubling to 30 s. */
  retry?: Partial<RetryPolicy>;
  /** Attempts and backoff for post-actions, which are retried after any failure. Same defaults as `retry`. */
  postActionRetry?: Partial<RetryPolicy>;
  /** Jitter source for backoff; `Math.random` by default, `seededRandom(seed)` for reproducible runs. */
  random?: RandomSource;
  /** Waits for backoff and between the two listings of `listStable`. */
  sleep?: Sleep;
  /** Receives retries and reconnects with host, port and remote path; never credentials. */
  logger?: Logger;
}

export interface StableListOptions extends StabilityOptions {
  /** Time between the two listings compared. Default 5 000. */
  intervalMs?: number;
}

/** A listing split into files safe to take and files still being written. */
export interface StableListing {
  path: string;
  stable: SftpFileEntry[];
  unstable: UnstableFile[];
  rejected: RejectedRemoteName[];
}

export interface DownloadResult<T> extends TransferResult<T> {
  /** Attempts used, 1 when the first one succeeded. */
  attempts: number;
}

/** Outcome of a post-action. A failure is reported here, never thrown. */
export interface PostActionResult extends PostActionOutcome {
  action: PostAction['kind'];
  ok: boolean;
  attempts: number;
  error?: unknown;
}

export const DEFAULT_MAX_CONNECTIONS = 4;
export const DEFAULT_STABLE_INTERVAL_MS = 5_000;

/**
 * Open an SFTP source: check the options, read known_hosts, and open a first connection, so
 * that a wrong host key, wrong credentials or an unreachable server fail here.
 * @throws ConfigError listing each invalid option.
 * @throws SftpHostKeyError, SftpAuthenticationError or SftpConnectionError from the first connection.
 */
export async function connectSftp(options: SftpSourceOptions): Promise<SftpSource> {
  const issues: ConfigIssue[] = [];
  let connectOptions: ResolvedConnectOptions | undefined;
  try {
    connectOptions = resolveConnectOptions(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  checkInteger(issues, 'maxConnections', maxConnections, 1, 64);
  const retry = resolveRetryPolicy(issues, 'retry', options.retry, DEFAULT_RETRY_POLICY);
  const postActionRetry = resolveRetryPolicy(
    issues,
    'postActionRetry',
    options.postActionRetry,
    DEFAULT_RETRY_POLICY,
  );
  if (issues.length > 0 || !connectOptions) {
    throw new ConfigError(`invalid SFTP source options: ${issues.length} problem(s)`, issues);
  }

  const policy = await loadHostKeyPolicy(connectOptions);
  const first = await SftpConnection.open(connectOptions, policy);
  return new SftpSource(connectOptions, policy, first, {
    maxConnections,
    retry,
    postActionRetry,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
    logger: options.logger ?? silentLogger,
  });
}

interface SourceSettings {
  maxConnections: number;
  retry: RetryPolicy;
  postActionRetry: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  logger: Logger;
}

/**
 * An SFTP server as a source of files: lists, downloads into a caller's sink, and tidies up
 * after the caller has committed a file. Where the bytes go is up to the sink.
 */
export class SftpSource {
  readonly host: string;
  readonly port: number;
  private readonly pool: ConnectionPool;

  /** Use `connectSftp`, which checks the options and the first connection. */
  constructor(
    options: ResolvedConnectOptions,
    policy: HostKeyPolicy,
    firstConnection: SftpConnection,
    private readonly settings: SourceSettings,
  ) {
    this.host = options.host;
    this.port = options.port;
    this.pool = new ConnectionPool(
      () => SftpConnection.open(options, policy),
      settings.maxConnections,
      {
        host: this.host,
        port: this.port,
      },
    );
    this.pool.adopt(firstConnection);
  }

  /** List remote data files once, retrying on a new connection when one drops. */
  async list(request: SftpListRequest): Promise<SftpListing> {
    const outcome = await this.retryOnLostConnection(request.path, () =>
      this.pool.use((connection) => listRemoteFiles(connection, request)),
    );
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * List twice, `intervalMs` apart, and keep the files whose size and mtime did not change or
   * that have a completion marker. The wait is skipped when no file needs it.
   */
  async listStable(
    request: SftpListRequest,
    options: StableListOptions = {},
  ): Promise<StableListing> {
    const intervalMs = options.intervalMs ?? DEFAULT_STABLE_INTERVAL_MS;
    const first = await this.list(request);
    const needsSecondLook =
      !options.requireMarker && first.entries.some((entry) => entry.markerPath === undefined);
    let second = first;
    if (needsSecondLook) {
      await this.settings.sleep(intervalMs);
      second = await this.list(request);
    }
    const { stable, unstable } = selectStableFiles(first, second, options);
    return { path: request.path, stable, unstable, rejected: second.rejected };
  }

  /**
   * Download one file into the sink, checking its size and computing its SHA-256. When the
   * connection drops, the attempt fails (the sink receives the error), and the file is read again
   * from the start on a new connection, after a backoff, up to `retry.maxAttempts` attempts.
   * @throws SftpFileChangedError when the size differs from the listing; not retried.
   * @throws SftpConnectionError when every attempt lost its connection.
   * @throws SftpRemoteError when the server refused to read the file, or the sink's own error.
   */
  async download<T>(
    entry: SftpFileEntry,
    sink: SftpSink<T>,
    onBytes?: (byteCount: number) => void,
  ): Promise<DownloadResult<T>> {
    const outcome = await this.tryDownload(entry, sink, onBytes);
    if (!outcome.ok) throw outcome.error;
    return { ...outcome.value, attempts: outcome.attempts };
  }

  /** `download`, reporting the failure and attempt count instead of throwing. */
  tryDownload<T>(
    entry: SftpFileEntry,
    sink: SftpSink<T>,
    onBytes?: (byteCount: number) => void,
  ): Promise<AttemptOutcome<TransferResult<T>>> {
    return this.retryOnLostConnection(entry.remotePath, () => {
      let attemptBytes = 0;
      const countBytes = (byteCount: number): void => {
        attemptBytes += byteCount;
        onBytes?.(byteCount);
      };
      return this.pool
        .use((connection) => transferOnce(connection, entry, sink, countBytes))
        .catch((error: unknown) => {
          // Progress counts only bytes that stay, so a failed attempt takes its bytes back.
          if (attemptBytes > 0) onBytes?.(-attemptBytes);
          throw error;
        });
    });
  }

  /**
   * Archive, delete or leave a committed file, retrying any failure with backoff. Never
   * throws: a failure is in the result, and the file stays committed.
   * @param listedFolder the folder the file was listed from, against which a relative archive path is resolved
   */
  async applyPostAction(
    entry: SftpFileEntry,
    action: PostAction,
    listedFolder: string,
  ): Promise<PostActionResult> {
    const outcome = await withRetries(
      () =>
        this.pool.use((connection) => runPostActionOnce(connection, entry, action, listedFolder)),
      {
        policy: this.settings.postActionRetry,
        random: this.settings.random,
        sleep: this.settings.sleep,
        isRetryable: () => true,
        onRetry: ({ attempt, delayMs, error }) =>
          this.settings.logger.warn(
            {
              host: this.host,
              port: this.port,
              remotePath: entry.remotePath,
              action: action.kind,
              attempt,
              delayMs,
              error: describeError(error),
            },
            'SFTP post-action failed; retrying',
          ),
      },
    );
    if (outcome.ok)
      return { action: action.kind, ok: true, attempts: outcome.attempts, ...outcome.value };
    this.settings.logger.error(
      {
        host: this.host,
        port: this.port,
        remotePath: entry.remotePath,
        action: action.kind,
        attempts: outcome.attempts,
        error: describeError(outcome.error),
      },
      'SFTP post-action failed',
    );
    return { action: action.kind, ok: false, attempts: outcome.attempts, error: outcome.error };
  }

  /** Close every connection. Operations still running fail. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private retryOnLostConnection<T>(
    remotePath: string,
    operation: () => Promise<T>,
  ): Promise<AttemptOutcome<T>> {
    return withRetries(operation, {
      policy: this.settings.retry,
      random: this.settings.random,
      sleep: this.settings.sleep,
      isRetryable: (error) => error instanceof SftpConnectionError,
      onRetry: ({ attempt, delayMs, error }) =>
        this.settings.logger.warn(
          {
            host: this.host,
            port: this.port,
            remotePath,
            attempt,
            delayMs,
            error: describeError(error),
          },
          'SFTP connection lost; reconnecting after a backoff',
        ),
    });
  }
}
