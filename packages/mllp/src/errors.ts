import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Root of the errors the MLLP package raises. */
export class MllpError extends CarelakeError {}

/** A message that cannot be put in an MLLP frame, or a peer that broke the framing or ACK rules. */
export class MllpProtocolError extends MllpError {}

/** The connection failed or closed before the exchange finished. */
export class MllpConnectionError extends MllpError {}

/** No ACK arrived within the response timeout. */
export class MllpTimeoutError extends MllpError {
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options: CarelakeErrorOptions = {}) {
    super(message, options);
    this.timeoutMs = timeoutMs;
  }
}
