import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@carelake/core';

/** Source of MSH-10 for the ACKs a listener sends; injected so that tests can pin it. */
export type ControlIdGenerator = () => string;

/** 20 random hexadecimal characters, the MSH-10 length limit up to v2.6. */
export const randomControlId: ControlIdGenerator = () => randomBytes(10).toString('hex');

/**
 * Return the first 16 hexadecimal characters of the SHA-256 of a control id, for logs. They match
 * log lines to one message without writing the id that the sender chose.
 */
export function hashControlId(controlId: string): string {
  return sha256Hex(controlId).slice(0, 16);
}
