import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@carelake/core';
import { MAX_QUEUED_FRAMES } from './constants';
import { MllpFrameDecoder, type MllpDecodeEvent, type MllpFrame } from './frame-decoder';
import { FrameResponder } from './frame-responder';
import type { ResolvedListenerOptions } from './listener-options';

type WorkItem =
  | { kind: 'frame'; frame: MllpFrame; receivedAt: Date }
  | { kind: 'too-large'; frameIndex: number; head: Uint8Array; byteCount: number };

/**
 * One accepted TCP connection. Frames are handled one at a time in arrival order, each exactly
 * once, and each frame's ACKs are written before the next frame's handler starts. The socket
 * allows half-open use: when the peer ends its side, the frames already received are still
 * handled and acknowledged, and then this side closes.
 */
export class MllpConnection {
  /** Resolves when the socket has closed and every frame received on it has been handled. */
  readonly finished: Promise<void>;
  private readonly decoder: MllpFrameDecoder;
  private readonly responder: FrameResponder;
  private work: Promise<void> = Promise.resolve();
  private queuedItems = 0;
  private handledFrames = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readingPaused = false;
  private shuttingDown = false;
  private peerEnded = false;
  private closing = false;

  constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly options: ResolvedListenerOptions,
    private readonly logger: Logger,
  ) {
    this.decoder = new MllpFrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.responder = new FrameResponder(id, socket, options, logger);

    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('drain', () => this.updateReading());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Node closes the socket after 'error'; queued frames are still handled, their ACKs dropped.
      this.logger.warn(
        { errorCode: error.code ?? error.name, queuedFrames: this.queuedItems },
        'MLLP connection failed',
      );
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.finished = closed.then(async () => {
      this.clearIdleTimer();
      // No bytes arrive after 'close', so the chain cannot grow while this waits.
      await this.work;
      this.logger.info(
        { handledFrames: this.handledFrames, discardedBytes: this.decoder.discardedByteCount },
        'MLLP connection closed',
      );
    });
    this.resetIdleTimer();
  }

  /**
   * Stop reading, finish the frames already received, send their ACKs, then close. Resolves when
   * the socket has closed and the last handler has settled.
   */
  shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.socket.pause();
    this.clearIdleTimer();
    if (this.queuedItems === 0) this.closeGracefully();
    return this.finished;
  }

  private onData(chunk: Buffer): void {
    this.resetIdleTimer();
    for (const event of this.decoder.push(chunk)) this.onDecodeEvent(event);
  }

  private onPeerEnd(): void {
    this.peerEnded = true;
    for (const event of this.decoder.finish()) this.onDecodeEvent(event);
    this.logger.debug({ queuedFrames: this.queuedItems }, 'MLLP peer ended its side');
    if (this.queuedItems === 0) this.closeGracefully();
  }

  private onDecodeEvent(event: MllpDecodeEvent): void {
    if (event.kind === 'frame') {
      this.enqueue({ kind: 'frame', frame: event.frame, receivedAt: this.options.clock.now() });
      return;
    }

    const { issue } = event;
    this.logger.warn(
      {
        issue: issue.code,
        offset: issue.offset,
        discardedBytes: issue.discardedBytes,
        frameIndex: issue.frameIndex,
      },
      'MLLP framing issue',
    );
    if (
      issue.code === 'frame-too-large' &&
      issue.frameIndex !== undefined &&
      issue.head !== undefined
    ) {
      this.enqueue({
        kind: 'too-large',
        frameIndex: issue.frameIndex,
        head: issue.head,
        byteCount: issue.discardedBytes,
      });
    }
  }

  private enqueue(item: WorkItem): void {
    this.queuedItems++;
    this.clearIdleTimer();
    this.updateReading();
    this.work = this.work.then(() => this.processSafely(item));
  }

  private async processSafely(item: WorkItem): Promise<void> {
    const startedMs = performance.now();
    try {
      if (item.kind === 'frame') {
        await this.responder.respondToFrame(item.frame, item.receivedAt, startedMs);
        this.handledFrames++;
      } else {
        this.responder.rejectTooLarge(item.frameIndex, item.head, item.byteCount);
      }
    } catch (error) {
      // Only a defect gets here: the responder turns handler and parse failures into ACKs.
      this.logger.error(
        { errorName: error instanceof Error ? error.name : typeof error },
        'MLLP frame processing failed',
      );
    } finally {
      this.queuedItems--;
      this.afterItem();
    }
  }

  private afterItem(): void {
    this.updateReading();
    if (this.queuedItems > 0) return;
    if (this.peerEnded || this.shuttingDown) this.closeGracefully();
    else this.resetIdleTimer();
  }

  /**
   * Read only while fewer than MAX_QUEUED_FRAMES wait and the peer takes its ACKs. A peer that
   * sends without reading would otherwise make the listener buffer ACKs without limit.
   */
  private updateReading(): void {
    // shutdown() paused reading for good.
    if (this.shuttingDown) return;
    const blocked = this.queuedItems >= MAX_QUEUED_FRAMES || this.socket.writableNeedDrain;
    if (blocked && !this.readingPaused) {
      this.readingPaused = true;
      this.socket.pause();
    } else if (!blocked && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  /**
   * Flush what was written, send FIN, then release the socket even if the peer never ends its
   * side. A peer that stops reading would keep the unsent ACKs, and with them the socket and
   * `close()`, waiting forever, so the socket is destroyed after `idleTimeoutMs` without them.
   */
  private closeGracefully(): void {
    if (this.closing) return;
    this.closing = true;
    this.clearIdleTimer();
    if (this.socket.destroyed) return;
    const flushDeadline = setTimeout(() => {
      this.logger.warn(
        { unsentBytes: this.socket.writableLength, idleTimeoutMs: this.options.idleTimeoutMs },
        'MLLP peer did not read its ACKs; dropping the connection',
      );
      this.socket.destroy();
    }, this.options.idleTimeoutMs);
    this.socket.once('close', () => clearTimeout(flushDeadline));
    this.socket.end(() => this.socket.destroy());
  }

  private resetIdleTimer(): void {
    this.clearIdleTimer();
    if (this.closing || this.shuttingDown || this.socket.destroyed) return;
    this.idleTimer = setTimeout(() => this.onIdle(), this.options.idleTimeoutMs);
  }

  private onIdle(): void {
    this.idleTimer = undefined;
    if (this.queuedItems > 0) return;
    this.logger.info(
      { idleTimeoutMs: this.options.idleTimeoutMs },
      'MLLP connection idle; closing it',
    );
    for (const event of this.decoder.finish()) this.onDecodeEvent(event);
    this.closeGracefully();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
