import type { ApplicationResult } from './ack-plan';

/** One message as the listener received it, passed to the handler before any ACK is sent. */
export interface MllpReceivedMessage {
  /** The bytes between the start and end blocks, exactly as received. */
  bytes: Uint8Array;
  /** Identifier of the TCP connection, unique across listeners and restarts. */
  connectionId: string;
  /**
   * 0-based index of the frame on its connection. Frames rejected as too large take an index
   * but never reach the handler, so the indexes a handler receives may have gaps.
   */
  frameIndex: number;
  /** When the frame's end block arrived, from the listener's clock. */
  receivedAt: Date;
}

/**
 * The result a handler resolves once the bytes are durably stored. `AA` accepts the message; `AE`
 * or `AR` reports an application error or reject in the application ACK, with an ERR that
 * carries no field value. In enhanced mode the commit ACK is CA in every case, because the
 * bytes are stored.
 */
export type HandleResult = ApplicationResult;

/**
 * Stores one received message (in the pipeline, lands its bytes) and resolves only when it is
 * durable. The listener sends no ACK before the promise settles, and a rejection becomes AE
 * (CE in enhanced mode), never AA. The handler also receives bytes that do not parse as HL7,
 * so that nothing received is lost. Those get AR whatever the handler resolves.
 */
export type MllpMessageHandler = (message: MllpReceivedMessage) => Promise<HandleResult>;
