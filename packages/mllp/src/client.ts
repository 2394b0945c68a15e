import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { ConfigError, type ConfigIssue } from '@carelake/core';
import { isCommitAckCode } from './ack-codes';
import { readAckRequest, type AckRequest } from './ack-plan';
import { readAck, type MllpAck } from './ack-reader';
import { DEFAULT_HOST, DEFAULT_MAX_FRAME_BYTES, DEFAULT_RESPONSE_TIMEOUT_MS } from './constants';
import { MllpConnectionError, MllpTimeoutError } from './errors';
import { MllpFrameDecoder, type MllpFrame } from './frame-decoder';
import { encodeMllpFrame } from './frame-encoder';
import { readInboundMessage } from './inbound-message';
import { checkInteger } from './listener-options';
import { readPem, type MllpClientTlsOptions } from './tls-options';

export interface MllpClientOptions {
  /** Loopback by default. */
  host?: string;
  port: number;
  /** How long to wait for each ACK frame, and for the connection to open. */
  responseTimeoutMs?: number;
  /** Largest ACK frame accepted, in bytes. */
  maxFrameBytes?: number;
  /** Connect over TLS, verifying the listener's certificate against `tls.ca`. */
  tls?: MllpClientTlsOptions;
}

type ResolvedClientOptions = Required<Omit<MllpClientOptions, 'tls'>> & {
  tls:
    | {
        ca: Buffer;
        cert: Buffer | undefined;
        key: Buffer | undefined;
        servername: string | undefined;
      }
    | undefined;
};

/**
 * The ACKs received for one message. In original mode only `applicationAck` is set. In enhanced
 * mode `commitAck` comes first, and `applicationAck` follows when MSH-16 requests it.
 */
export interface MllpResponse {
  commitAck: MllpAck | undefined;
  applicationAck: MllpAck | undefined;
}

interface Exchange {
  controlId: string | undefined;
  request: AckRequest;
  response: MllpResponse;
  resolve(response: MllpResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Sends HL7 v2 messages over MLLP and waits for their ACKs, one message at a time; for tests and
 * resend tooling. Open it with `MllpClient.connect`.
 */
export class MllpClient {
  private readonly decoder: MllpFrameDecoder;
  private exchange: Exchange | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closedError: MllpConnectionError | undefined;
  private staleAcks = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly options: ResolvedClientOptions,
  ) {
    this.decoder = new MllpFrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.onClosed(`failed: ${error.code ?? error.name}`, error),
    );
    socket.on('close', () => this.onClosed('was closed by the receiver'));
  }

  /**
   * Open a connection.
   * @throws ConfigError for invalid options, MllpConnectionError or MllpTimeoutError when it cannot connect.
   */
  static async connect(options: MllpClientOptions): Promise<MllpClient> {
    const resolved = resolveClientOptions(options);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const tls = resolved.tls;
      const socket = tls
        ? connectTls({
            host: resolved.host,
            port: resolved.port,
            ca: tls.ca,
            ...(tls.cert ? { cert: tls.cert } : {}),
            ...(tls.key ? { key: tls.key } : {}),
            ...(tls.servername ? { servername: tls.servername } : {}),
            // Always verified: a listener whose certificate does not chain to `ca` is an error.
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
          })
        : connect({ host: resolved.host, port: resolved.port });
      const ready = tls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new MllpTimeoutError(
            `connecting to ${resolved.host}:${resolved.port} timed out after ${resolved.responseTimeoutMs} ms`,
            resolved.responseTimeoutMs,
          ),
        );
      }, resolved.responseTimeoutMs);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // Release the socket at once after a failed connect, such as a failed certificate check.
        socket.destroy();
        reject(
          new MllpConnectionError(
            `cannot connect to ${resolved.host}:${resolved.port}: ${error.code ?? error.message}`,
            {
              cause: error,
              hint: 'Check that the MLLP listener is running and the host and port are right.',
            },
          ),
        );
      });
    });
    return new MllpClient(socket, resolved);
  }

  /** ACK frames that arrived when no message was waiting, or that named another control id, and were dropped. */
  get staleAckCount(): number {
    return this.staleAcks;
  }

  /**
   * Send one message and wait for its ACKs. It resolves as soon as no further ACK can follow: after
   * the application ACK, after CE or CR, after CA when MSH-16 is NE or empty, or at once when
   * MSH-15 and MSH-16 are both NE. When MSH-16 is ER or SU, whether an application ACK follows CA
   * depends on the outcome, so the client waits `responseTimeoutMs` and then resolves with the CA
   * alone. Messages sent while one is waiting are queued.
   * @throws MllpTimeoutError when no ACK at all arrives in time; MllpConnectionError when the
   *   connection closes first; MllpProtocolError for a response that is not an ACK.
   */
  async sendMessage(message: Uint8Array | string): Promise<MllpResponse> {
    const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : message;
    const frame = encodeMllpFrame(bytes);
    const result = this.queue.then(() => this.exchangeMessage(bytes, frame));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** End this side and wait for the socket to close. A message still waiting is rejected. */
  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.end(() => this.socket.destroy());
    await closed;
  }

  private exchangeMessage(bytes: Uint8Array, frame: Uint8Array): Promise<MllpResponse> {
    if (this.closedError) return Promise.reject(this.closedError);
    const { header, controlId } = readInboundMessage(bytes, 'lenient');
    const request = readAckRequest(header);
    const response: MllpResponse = { commitAck: undefined, applicationAck: undefined };
    if (
      request.mode === 'enhanced' &&
      request.acceptAckType === 'NE' &&
      request.applicationAckType === 'NE'
    ) {
      this.socket.write(frame);
      return Promise.resolve(response);
    }

    return new Promise<MllpResponse>((resolve, reject) => {
      this.exchange = { controlId, request, response, resolve, reject, timer: undefined };
      this.restartTimer();
      this.socket.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.kind === 'frame') this.onFrame(event.frame);
    }
  }

  private onFrame(frame: MllpFrame): void {
    const exchange = this.exchange;
    if (exchange === undefined) {
      this.staleAcks++;
      return;
    }

    let ack: MllpAck;
    try {
      ack = readAck(frame.bytes, frame.index);
    } catch (error) {
      this.finish(exchange, error as Error);
      return;
    }
    // A late ACK to a message that timed out names that message's control id.
    const named = ack.acknowledgedControlId;
    if (named !== undefined && exchange.controlId !== undefined && named !== exchange.controlId) {
      this.staleAcks++;
      return;
    }

    if (isCommitAckCode(ack.code)) exchange.response.commitAck = ack;
    else exchange.response.applicationAck = ack;
    if (this.isComplete(exchange)) this.finish(exchange, undefined);
    else this.restartTimer();
  }

  private isComplete(exchange: Exchange): boolean {
    const { commitAck, applicationAck } = exchange.response;
    if (applicationAck !== undefined) return true;
    if (commitAck === undefined) return false;
    return commitAck.code !== 'CA' || exchange.request.applicationAckType === 'NE';
  }

  private restartTimer(): void {
    const exchange = this.exchange;
    if (exchange === undefined) return;
    if (exchange.timer !== undefined) clearTimeout(exchange.timer);
    exchange.timer = setTimeout(() => this.onTimeout(exchange), this.options.responseTimeoutMs);
  }

  private onTimeout(exchange: Exchange): void {
    if (exchange.response.commitAck !== undefined) {
      this.finish(exchange, undefined);
      return;
    }
    this.finish(
      exchange,
      new MllpTimeoutError(
        `no ACK arrived within ${this.options.responseTimeoutMs} ms`,
        this.options.responseTimeoutMs,
        {
          hint: 'The receiver did not confirm the message; resend it or raise responseTimeoutMs.',
        },
      ),
    );
  }

  private onClosed(reason: string, cause?: Error): void {
    this.closedError ??= new MllpConnectionError(
      `the MLLP connection ${reason}`,
      cause === undefined ? {} : { cause },
    );
    const exchange = this.exchange;
    if (exchange === undefined) return;
    if (
      exchange.response.commitAck !== undefined ||
      exchange.response.applicationAck !== undefined
    ) {
      this.finish(exchange, undefined);
    } else {
      this.finish(exchange, this.closedError);
    }
  }

  private finish(exchange: Exchange, error: Error | undefined): void {
    if (exchange.timer !== undefined) clearTimeout(exchange.timer);
    if (this.exchange === exchange) this.exchange = undefined;
    if (error === undefined) exchange.resolve(exchange.response);
    else exchange.reject(error);
  }
}

function resolveClientOptions(options: MllpClientOptions): ResolvedClientOptions {
  const resolved: ResolvedClientOptions = {
    host: options.host ?? DEFAULT_HOST,
    port: options.port,
    responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    tls: undefined,
  };
  const issues: ConfigIssue[] = [];
  if (options.tls !== undefined) {
    const ca = readPem(issues, 'tls.ca', options.tls.ca, true);
    const cert = readPem(issues, 'tls.cert', options.tls.cert);
    const key = readPem(issues, 'tls.key', options.tls.key);
    if ((cert === undefined) !== (key === undefined)) {
      issues.push({ keyPath: 'tls.key', message: 'tls.cert and tls.key must be given together' });
    }
    if (ca !== undefined) resolved.tls = { ca, cert, key, servername: options.tls.servername };
  }
  if (typeof resolved.host !== 'string' || resolved.host === '') {
    issues.push({
      keyPath: 'host',
      message: 'must be a host name or IP address, such as 127.0.0.1',
    });
  }
  checkInteger(issues, 'port', resolved.port, 1, 65535);
  checkInteger(issues, 'responseTimeoutMs', resolved.responseTimeoutMs, 1, 2 ** 31 - 1);
  checkInteger(issues, 'maxFrameBytes', resolved.maxFrameBytes, 1, Number.MAX_SAFE_INTEGER);
  if (issues.length > 0)
    throw new ConfigError(`invalid MLLP client options: ${issues.length} problem(s)`, issues);
  return resolved;
}
