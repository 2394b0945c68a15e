import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import type { Readable } from 'node:stream';
import type SftpClient from 'ssh2-sftp-client';
import type { ConnectConfig } from 'ssh2';
import type { ResolvedConnectOptions } from './connect-options';
import {
  SftpAuthenticationError,
  SftpConnectionError,
  SftpRemoteError,
  type SftpError,
  type SftpErrorTarget,
  type SftpHostKeyError,
} from './errors';
import { preferHostKeyAlgorithms } from './host-key';
import { checkHostKey, type HostKeyPolicy } from './host-verifier';

/**
 * Bytes asked for in each SFTP read request. ssh2's read stream keeps one request in flight and
 * asks for its highWaterMark, 64 KiB by default, and its cost per request, not the bytes, bounds
 * a download on a fast link. 255 KiB is the largest read that OpenSSH's sftp-server (8.x, 9.x)
 * answers whole, per its limits@openssh.com reply. ssh2 splits a larger request into reads the
 * server accepts, so servers with lower limits get the same reads as before.
 */
const READ_REQUEST_BYTES = 255 * 1024;

/** One remote directory item, as ssh2-sftp-client lists it. */
export interface RemoteItem {
  /** `-` regular file, `d` directory, `l` symbolic link; other letters for other kinds. */
  type: string;
  name: string;
  size: number;
  /** Modification time in whole seconds since the Unix epoch, as SFTP v3 reports it; 0 when not reported. */
  mtime: number;
}

/**
 * One authenticated SFTP session over one SSH connection. ssh2-sftp-client advises against
 * running operations in parallel on one connection, so a caller uses it for one operation at a
 * time. Once the connection drops, `lost` is true and every later operation fails with
 * `SftpConnectionError`; a new connection must be opened.
 */
export class SftpConnection {
  private lostFlag = false;
  private closing = false;
  private readonly lostListeners = new Set<() => void>();

  private constructor(
    private readonly client: SftpClient,
    readonly target: { host: string; port: number },
  ) {
    const markLost = (): void => this.markLost();
    // Prepended listeners run before ssh2-sftp-client's own, and ssh2 emits `end` and `close`
    // before it fails the outstanding SFTP requests, so `lost` is set when those errors arrive.
    client.on('end', markLost);
    client.on('close', markLost);
    client.on('error', markLost);
  }

  /**
   * Open an SSH connection, verify the host key against the policy, authenticate and start
   * the SFTP subsystem.
   * @throws SftpHostKeyError when the host key is not accepted.
   * @throws SftpAuthenticationError when the credentials are rejected or unusable.
   * @throws SftpConnectionError when the server cannot be reached or the handshake fails.
   */
  static async open(
    options: ResolvedConnectOptions,
    policy: HostKeyPolicy,
  ): Promise<SftpConnection> {
    const target = { host: options.host, port: options.port };
    const ignore = (): void => undefined;
    // The default callbacks print to the console; connection state is tracked by listeners instead.
    // Loaded on the first connection, so that commands that never open one do not pay for ssh2.
    const SftpClientClass = createRequire(__filename)('ssh2-sftp-client') as typeof import('ssh2-sftp-client');
    const client = new SftpClientClass('carelake-sftp', { error: ignore, end: ignore, close: ignore });

    let hostKeyError: SftpHostKeyError | undefined;
    let firstError: (Error & { level?: string }) | undefined;
    const recordError = (error: Error & { level?: string }): void => {
      firstError ??= error;
    };
    client.on('error', recordError);

    const knownKeyTypes =
      policy.kind === 'known-hosts'
        ? policy.knownHosts.entries.filter((entry) => !entry.revoked).map((entry) => entry.keyType)
        : [];
    // ssh2 leaves Nagle's algorithm on, so a request written in two segments waits for the
    // server's delayed ACK. Against OpenSSH 9.2 on loopback that cost 44 ms per SFTP request,
    // against 0.3 ms with the algorithm off.
    const socket = createConnection({ host: options.host, port: options.port, noDelay: true });
    const config: ConnectConfig = {
      sock: socket,
      host: options.host,
      port: options.port,
      username: options.username,
      readyTimeout: options.readyTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      hostVerifier: (key: Buffer): boolean => {
        hostKeyError = checkHostKey(policy, key, target);
        return hostKeyError === undefined;
      },
    };
    if (knownKeyTypes.length > 0)
      config.algorithms = { serverHostKey: preferHostKeyAlgorithms(knownKeyTypes) };
    if (options.privateKey !== undefined) config.privateKey = options.privateKey;
    if (options.passphrase !== undefined) config.passphrase = options.passphrase;
    if (options.agent !== undefined) config.agent = options.agent;
    if (options.password !== undefined) config.password = options.password;

    try {
      await client.connect(config);
    } catch (error) {
      await client.end().catch(ignore);
      socket.destroy();
      if (hostKeyError) throw hostKeyError;
      throw describeConnectFailure(error, firstError, target);
    } finally {
      client.removeListener('error', recordError);
    }
    return new SftpConnection(client, target);
  }

  /** Whether the connection has dropped or been closed; a lost connection is never reused. */
  get lost(): boolean {
    return this.lostFlag || this.closing;
  }

  /** Call `listener` once when the connection drops. Returns a function that removes it. */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** List one directory: its files, directories and links, without `.` and `..`. */
  async list(remoteDirectory: string): Promise<RemoteItem[]> {
    const items = await this.run('list', remoteDirectory, () => this.client.list(remoteDirectory));
    return items.map((item) => ({
      type: item.type,
      name: item.name,
      size: item.size,
      // ssh2-sftp-client multiplies SFTP's whole seconds by 1000, so this division is exact. A
      // server may leave the time out of a listing; 0 then lets size alone decide stability.
      mtime: Number.isFinite(item.modifyTime) ? Math.floor(item.modifyTime / 1000) : 0,
    }));
  }

  /** Tell whether a path exists: `-` file, `d` directory, `l` link, or false. */
  exists(remotePath: string): Promise<false | string> {
    return this.run('stat', remotePath, () => this.client.exists(remotePath));
  }

  /** Create a directory and its missing parents. */
  async mkdir(remotePath: string): Promise<void> {
    await this.run('mkdir', remotePath, () => this.client.mkdir(remotePath, true));
  }

  /**
   * Rename with the SFTP v3 rename request, which the protocol draft and OpenSSH define to fail
   * when the target exists, so nothing is overwritten.
   */
  async rename(fromPath: string, toPath: string): Promise<void> {
    await this.run('rename', fromPath, () => this.client.rename(fromPath, toPath));
  }

  /** Delete a file; with `missingIsDeleted`, a file that is already gone counts as deleted. */
  async delete(remotePath: string, options: { missingIsDeleted?: boolean } = {}): Promise<void> {
    await this.run('delete', remotePath, () =>
      this.client.delete(remotePath, options.missingIsDeleted ?? false),
    );
  }

  /** Open a stream of the remote file's bytes; the caller destroys it when done. */
  createReadStream(remotePath: string): Readable {
    if (this.lost) throw this.lostError('read', remotePath);
    try {
      return this.client.createReadStream(remotePath, { highWaterMark: READ_REQUEST_BYTES });
    } catch (error) {
      throw this.toError('read', remotePath, error);
    }
  }

  /** Turn an error of an operation into a connection error when the connection dropped, else a remote error. */
  toError(operation: string, remotePath: string, error: unknown): SftpError {
    if (error instanceof SftpConnectionError || error instanceof SftpRemoteError) return error;
    if (this.lost) return this.lostError(operation, remotePath, error);
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: number | string } | undefined)?.code;
    return new SftpRemoteError(
      `${operation} of ${remotePath} failed on ${this.describeTarget()}: ${message}`,
      this.errorTarget(remotePath),
      code,
      {
        cause: error,
      },
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.lostListeners.clear();
    await this.client.end().catch(() => undefined);
  }

  private async run<T>(
    operation: string,
    remotePath: string,
    action: () => Promise<T>,
  ): Promise<T> {
    if (this.lost) throw this.lostError(operation, remotePath);
    try {
      return await action();
    } catch (error) {
      throw this.toError(operation, remotePath, error);
    }
  }

  private lostError(operation: string, remotePath: string, cause?: unknown): SftpConnectionError {
    return new SftpConnectionError(
      `connection to ${this.describeTarget()} was lost during ${operation} of ${remotePath}`,
      this.errorTarget(remotePath),
      cause === undefined ? {} : { cause },
    );
  }

  private markLost(): void {
    if (this.lostFlag) return;
    this.lostFlag = true;
    if (this.closing) return;
    for (const listener of [...this.lostListeners]) listener();
    this.lostListeners.clear();
  }

  private describeTarget(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  private errorTarget(remotePath: string): SftpErrorTarget {
    return { ...this.target, remotePath };
  }
}

function describeConnectFailure(
  error: unknown,
  firstError: (Error & { level?: string }) | undefined,
  target: { host: string; port: number },
): SftpError {
  const server = `${target.host}:${target.port}`;
  const message = error instanceof Error ? error.message : String(error);
  if (firstError?.level === 'client-authentication') {
    return new SftpAuthenticationError(
      `authentication to ${server} failed: the server rejected every credential offered`,
      target,
      {
        cause: error,
        hint: 'Check username, and that the public key of privateKey (or of the agent) is in the server account authorized_keys.',
      },
    );
  }
  // ssh2 throws these while reading privateKey, before any network traffic.
  if (/privateKey|passphrase|Encrypted private/i.test(message)) {
    return new SftpAuthenticationError(
      `cannot use the private key for ${server}: ${message}`,
      target,
      {
        cause: error,
        hint: 'Pass the private key text (not its path), and passphrase when the key is encrypted.',
      },
    );
  }
  // ssh2-sftp-client prefixes its own method name, such as "getConnection: ", which tells a user nothing.
  const reason = message.replace(/^[A-Za-z]+: /, '');
  return new SftpConnectionError(`cannot connect to ${server}: ${reason}`, target, {
    cause: error,
    hint: 'Check source.host and source.port in the pipeline file, and that the partner server is up and reachable from this machine.',
  });
}
