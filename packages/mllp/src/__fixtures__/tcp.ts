import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, ManualClock, type Logger } from '@carelake/core';
import { parseHl7Message, type Hl7Message } from '@carelake/hl7v2';
import type { HandleResult, MllpReceivedMessage } from '../handler';
import { MllpFrameDecoder } from '../frame-decoder';
import { MllpListener } from '../listener';
import type { MllpListenerOptions } from '../listener-options';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `condition` every 10 ms until it holds, failing after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await sleep(10);
  }
}

export const ACCEPTED: HandleResult = { applicationAck: 'AA' };

/** A handler that records every message it gets and accepts it. */
export function recordingHandler(): {
  received: MllpReceivedMessage[];
  handle(message: MllpReceivedMessage): Promise<HandleResult>;
} {
  const received: MllpReceivedMessage[] = [];
  return {
    received,
    handle: async (message) => {
      received.push(message);
      return ACCEPTED;
    },
  };
}

/** Log lines written by a listener, kept in memory so tests can check what they contain. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Start a listener on 127.0.0.1 with a free port, a pinned clock and numbered ACK control ids. */
export async function startTestListener(
  options: Partial<MllpListenerOptions> & Pick<MllpListenerOptions, 'handle'>,
): Promise<MllpListener> {
  let ackNumber = 0;
  return MllpListener.start({
    host: '127.0.0.1',
    port: 0,
    clock: new ManualClock('2026-03-04T05:06:07.000Z'),
    ackControlId: () => `ACK${String(++ackNumber).padStart(4, '0')}`,
    ...options,
  });
}

/**
 * A bare TCP peer that writes raw bytes and decodes what comes back, for the cases the client
 * would hide: bytes before an ACK, half-open sockets, ACK order.
 */
export class RawPeer {
  readonly frames: Uint8Array[] = [];
  receivedBytes = 0;
  ended = false;
  /** How many ACK frames had arrived when the listener ended its side. */
  framesAtEnd: number | undefined;
  closed = false;
  private readonly decoder = new MllpFrameDecoder();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.receivedBytes += chunk.length;
      for (const event of this.decoder.push(chunk)) {
        if (event.kind === 'frame') this.frames.push(event.frame.bytes);
      }
    });
    socket.on('end', () => {
      this.ended = true;
      this.framesAtEnd = this.frames.length;
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      socket.once('connect', () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  async waitForFrames(count: number): Promise<Hl7Message[]> {
    await waitFor(() => this.frames.length >= count, `${count} ACK frame(s)`);
    return this.frames.map((frame) => parseHl7Message(frame).message);
  }

  async waitForClose(): Promise<void> {
    await waitFor(() => this.closed || this.ended, 'the listener to close the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
