/** Start block (VT): the byte that opens every MLLP frame. */
export const START_BLOCK = 0x0b;
/** End block (FS): the byte that closes the message inside a frame. */
export const END_BLOCK = 0x1c;
/** Carriage return: the byte that follows the end block and ends the frame. */
export const CARRIAGE_RETURN = 0x0d;

/** Loopback, so that nothing listens on or connects to another interface unless asked. */
export const DEFAULT_HOST = '127.0.0.1';
/** The IANA port registered for HL7 over TCP. */
export const DEFAULT_PORT = 2575;
/** Largest message accepted in one frame, in bytes; an HL7 message with embedded documents can reach megabytes. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** How long a connection may stay without traffic or pending work before the listener closes it. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_CONNECTIONS = 64;
/** How long the client waits for each ACK frame after sending a message or after the previous ACK. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30 * 1000;
/**
 * Frames decoded but not yet handled on one connection before the listener stops reading from it.
 * Senders normally wait for each ACK, so only a sender that pipelines reaches this.
 */
export const MAX_QUEUED_FRAMES = 32;
