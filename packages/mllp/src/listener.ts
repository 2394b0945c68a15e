import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from '@carelake/core';
import { MllpConnection } from './connection';
import { MllpError } from './errors';
import {
  resolveListenerOptions,
  type MllpListenerOptions,
  type ResolvedListenerOptions,
} from './listener-options';

/**
 * Receives HL7 v2 messages over MLLP and acknowledges each one only after the caller's handler
 * has stored it. Start it with `MllpListener.start`, stop it with `close`.
 */
export class MllpListener {
  private readonly connections = new Set<MllpConnection>();
  private readonly logger: Logger;
  private closePromise: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: ResolvedListenerOptions,
  ) {
    this.logger = options.logger;
    // A TLS server hands over each socket once its handshake succeeded. A failed handshake
    // (a plain-TCP peer, an unknown CA, a missing client certificate) never reaches accept.
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) =>
      this.accept(socket),
    );
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.logger.warn(
        { errorCode: error.code ?? error.name, remotePort: socket.remotePort },
        'MLLP TLS handshake failed',
      );
      // Node leaves the socket open after a failed or timed-out handshake, which would hold close() open.
      socket.destroy();
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      this.logger.error({ errorCode: error.code ?? error.name }, 'MLLP listener failed');
    });
  }

  /**
   * Validate the options, then listen. Resolves once the port is bound.
   * @throws ConfigError for invalid options, MllpError when the address cannot be bound.
   */
  static async start(options: MllpListenerOptions): Promise<MllpListener> {
    const resolved = resolveListenerOptions(options);
    // Half-open sockets stay writable after the peer's FIN, so ACKs can still be sent.
    const tls = resolved.tls;
    const server = tls
      ? createTlsServer({
          // NOTE: not half-open over TLS, because a peer that ends its side during the handshake
          // (after a failed certificate check) would otherwise hold close() open. A TLS peer that
          // sends FIN right after its last message may therefore miss that message's ACK.
          allowHalfOpen: false,
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca } : {}),
          requestCert: tls.requestClientCert,
          rejectUnauthorized: tls.requestClientCert,
          minVersion: tls.minVersion,
          // A peer that stays silent during the handshake is dropped like an idle connection,
          // and close() waits for it at most this long.
          handshakeTimeout: resolved.idleTimeoutMs,
        })
      : createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          new MllpError(
            `cannot listen on ${resolved.host}:${resolved.port}: ${error.code ?? error.message}`,
            {
              cause: error,
              hint: 'Choose another host or port, or stop the process that holds this one.',
            },
          ),
        );
      };
      server.once('error', onError);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', onError);
        resolve();
      });
    });

    const listener = new MllpListener(server, resolved);
    const { host, port } = listener.address;
    listener.logger.info(
      { host, port, maxConnections: resolved.maxConnections, tls: tls !== undefined },
      'MLLP listener started',
    );
    return listener;
  }

  /** The bound address; with `port: 0` this is where the free port shows. */
  get address(): { host: string; port: number } {
    const address = this.server.address() as AddressInfo | null;
    if (address === null) throw new MllpError('the MLLP listener is closed, so it has no address');
    return { host: address.address, port: address.port };
  }

  /** Connections open or still finishing their frames. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stop accepting connections, stop reading from open ones, wait for every frame already
   * received to be handled and acknowledged, then close the sockets. Calling it again returns
   * the same promise.
   * NOTE: a handler that never settles keeps this waiting; there is no deadline.
   */
  close(): Promise<void> {
    this.closePromise ??= this.closeNow();
    return this.closePromise;
  }

  private async closeNow(): Promise<void> {
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections].map((connection) => connection.shutdown()));
    await serverClosed;
    this.logger.info('MLLP listener stopped');
  }

  private accept(socket: Socket): void {
    if (this.closePromise !== undefined || this.connections.size >= this.options.maxConnections) {
      this.logger.warn(
        {
          openConnections: this.connections.size,
          maxConnections: this.options.maxConnections,
          closing: this.closePromise !== undefined,
        },
        'MLLP connection refused',
      );
      socket.destroy();
      return;
    }

    const id = randomUUID();
    const logger = this.logger.child({ connectionId: id });
    const connection = new MllpConnection(id, socket, this.options, logger);
    this.connections.add(connection);
    logger.info({ remotePort: socket.remotePort }, 'MLLP connection opened');
    void connection.finished.then(() => this.connections.delete(connection));
  }
}
