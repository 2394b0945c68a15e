import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CarelakeError, type Logger } from '@carelake/core';
import type { Hl7Segment } from '@carelake/hl7v2';
import { buildAck } from './ack-builder';
import { ACK_CODES, HL7_ERROR_CODES, type AckCode, type AckError } from './ack-codes';
import { planAcks, readAckRequest, type ApplicationResult, type MessageOutcome } from './ack-plan';
import { hashControlId } from './control-id';
import type { MllpFrame } from './frame-decoder';
import { encodeMllpFrame } from './frame-encoder';
import type { HandleResult } from './handler';
import { locationFromPosition, readHeaderSegment, readInboundMessage } from './inbound-message';
import type { ResolvedListenerOptions } from './listener-options';

const INTERNAL_ERROR: AckError = { code: 207, severity: 'E' };

/**
 * Acknowledges the frames of one connection. It hands each message to the caller's handler,
 * waits for it to settle, and only then writes the ACKs that MSH-15 and MSH-16 request.
 */
export class FrameResponder {
  constructor(
    private readonly connectionId: string,
    private readonly socket: Socket,
    private readonly options: ResolvedListenerOptions,
    private readonly logger: Logger,
  ) {}

  async respondToFrame(frame: MllpFrame, receivedAt: Date, startedMs: number): Promise<void> {
    const inbound = readInboundMessage(frame.bytes, this.options.parseMode);
    const parseAckError = inbound.parseError?.ackError;

    let outcome: MessageOutcome;
    try {
      const result = await this.options.handle({
        bytes: frame.bytes,
        connectionId: this.connectionId,
        frameIndex: frame.index,
        receivedAt,
      });
      const application: ApplicationResult =
        parseAckError === undefined
          ? this.checkResult(result, frame.index)
          : { applicationAck: 'AR', error: parseAckError };
      outcome = { stored: true, application };
    } catch (error) {
      this.logger.error(
        { frameIndex: frame.index, ...describeFailure(error) },
        'MLLP message handler failed; the message is not acknowledged as stored',
      );
      outcome = {
        stored: false,
        rejected: parseAckError !== undefined,
        error: parseAckError ?? errorForHandlerFailure(error),
      };
    }

    const acks = this.sendAcks(inbound.header, outcome);
    this.logger.info(
      {
        frameIndex: frame.index,
        byteCount: frame.bytes.length,
        controlIdHash:
          inbound.controlId === undefined ? undefined : hashControlId(inbound.controlId),
        parseProblem: inbound.parseError?.code,
        stored: outcome.stored,
        acks,
        durationMs: Math.round(performance.now() - startedMs),
      },
      'MLLP message handled',
    );
  }

  /** Reject a frame over `maxFrameBytes` without calling the handler, reading its MSH from the kept head. */
  rejectTooLarge(frameIndex: number, head: Uint8Array, byteCount: number): void {
    const header = readHeaderSegment(head);
    const acks = this.sendAcks(header, { stored: false, rejected: true, error: INTERNAL_ERROR });
    const controlId = header?.get('10') ?? undefined;
    this.logger.warn(
      {
        frameIndex,
        byteCount,
        maxFrameBytes: this.options.maxFrameBytes,
        controlIdHash: controlId === undefined ? undefined : hashControlId(controlId),
        acks,
      },
      'MLLP frame rejected: larger than maxFrameBytes',
    );
  }

  private sendAcks(header: Hl7Segment | undefined, outcome: MessageOutcome): AckCode[] {
    const planned = planAcks(readAckRequest(header), outcome);
    for (const ack of planned) {
      const text = buildAck({
        originalHeader: header,
        code: ack.code,
        controlId: this.options.ackControlId(),
        createdAt: this.options.clock.now(),
        errors: ack.error === undefined ? [] : [ack.error],
      });
      if (this.socket.writable) this.socket.write(encodeMllpFrame(text));
    }
    if (planned.length > 0 && !this.socket.writable) {
      this.logger.warn(
        { acks: planned.map((ack) => ack.code) },
        'MLLP ACK not sent: the connection is closed',
      );
    }
    return planned.map((ack) => ack.code);
  }

  /** A handler written in JavaScript may resolve anything; an invalid result becomes AE. */
  private checkResult(result: HandleResult | undefined, frameIndex: number): ApplicationResult {
    const code = result?.applicationAck as AckCode | undefined;
    if (code === 'AA') return { applicationAck: 'AA' };
    if (
      (code === 'AE' || code === 'AR') &&
      result !== undefined &&
      'error' in result &&
      isAckError(result.error)
    ) {
      return { applicationAck: code, error: result.error };
    }
    this.logger.error(
      { frameIndex, applicationAck: ACK_CODES.includes(code as AckCode) ? code : typeof code },
      'MLLP message handler resolved an invalid result; expected { applicationAck: "AA" } or AE/AR with an error',
    );
    return { applicationAck: 'AE', error: INTERNAL_ERROR };
  }
}

function isAckError(value: unknown): value is AckError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, severity } = value as Partial<AckError>;
  return (
    typeof code === 'number' &&
    code in HL7_ERROR_CODES &&
    ['E', 'W', 'I', 'F'].includes(String(severity))
  );
}

/** ERR for a handler that threw: 207, with the error's position when it names a segment. */
function errorForHandlerFailure(error: unknown): AckError {
  const location =
    error instanceof CarelakeError && error.position
      ? locationFromPosition(error.position)
      : undefined;
  return location === undefined ? INTERNAL_ERROR : { ...INTERNAL_ERROR, location };
}

/**
 * Build log fields for a thrown value. Only carelake errors contribute their message, because by
 * contract it carries ids and counts, and other messages may quote the data being stored. Their
 * position is left out because it may name the message's control id, which logs only hash.
 */
function describeFailure(error: unknown): Record<string, string> {
  if (error instanceof CarelakeError) return { errorName: error.name, error: error.message };
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined
      ? { errorName: error.name }
      : { errorName: error.name, errorCode: code };
  }
  return { errorName: typeof error };
}
