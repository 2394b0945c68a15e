import {
  ConfigError,
  silentLogger,
  systemClock,
  type Clock,
  type ConfigIssue,
  type Logger,
} from '@carelake/core';
import type { Hl7ParseMode } from '@carelake/hl7v2';
import {
  DEFAULT_HOST,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_PORT,
} from './constants';
import { randomControlId, type ControlIdGenerator } from './control-id';
import type { MllpMessageHandler } from './handler';
import {
  resolveListenerTls,
  type MllpListenerTlsOptions,
  type ResolvedListenerTls,
} from './tls-options';

export interface MllpListenerOptions {
  /** Stores each message; the listener acknowledges only after its promise resolves. */
  handle: MllpMessageHandler;
  /** Address to listen on; loopback by default. */
  host?: string;
  /** TCP port; 0 picks a free one (read it from `address`). Default 2575, the IANA HL7 port. */
  port?: number;
  /** Close a connection after this long with no bytes received and no message in progress. */
  idleTimeoutMs?: number;
  /** Connections beyond this many are closed as soon as they are accepted. */
  maxConnections?: number;
  /** Largest message accepted in one frame; a larger one is rejected with AR (CR in enhanced mode). */
  maxFrameBytes?: number;
  /** Parser mode for messages before they are acknowledged; `lenient` by default. */
  parseMode?: Hl7ParseMode;
  /** Source of `receivedAt` and of MSH-7 in ACKs. */
  clock?: Clock;
  /** Source of MSH-10 in ACKs. */
  ackControlId?: ControlIdGenerator;
  /** Receives connection ids, frame indexes, byte counts and control-id hashes, never field values. */
  logger?: Logger;
  /** Accept MLLP over TLS only; plain TCP when absent. */
  tls?: MllpListenerTlsOptions;
}

export type ResolvedListenerOptions = Required<Omit<MllpListenerOptions, 'tls'>> & {
  tls: ResolvedListenerTls | undefined;
};

/**
 * Fill in defaults and check every option.
 * @throws ConfigError listing each invalid option by name.
 */
export function resolveListenerOptions(options: MllpListenerOptions): ResolvedListenerOptions {
  const resolved: ResolvedListenerOptions = {
    handle: options.handle,
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    parseMode: options.parseMode ?? 'lenient',
    clock: options.clock ?? systemClock,
    ackControlId: options.ackControlId ?? randomControlId,
    logger: options.logger ?? silentLogger,
    tls: undefined,
  };

  const issues: ConfigIssue[] = [];
  if (options.tls !== undefined) resolved.tls = resolveListenerTls(issues, options.tls);
  if (typeof resolved.handle !== 'function') {
    issues.push({
      keyPath: 'handle',
      message: 'must be a function that stores a message and returns a promise',
    });
  }
  if (typeof resolved.host !== 'string' || resolved.host === '') {
    issues.push({
      keyPath: 'host',
      message: 'must be a host name or IP address, such as 127.0.0.1',
    });
  }
  checkInteger(issues, 'port', resolved.port, 0, 65535);
  checkInteger(issues, 'idleTimeoutMs', resolved.idleTimeoutMs, 1, 2 ** 31 - 1);
  checkInteger(issues, 'maxConnections', resolved.maxConnections, 1, Number.MAX_SAFE_INTEGER);
  checkInteger(issues, 'maxFrameBytes', resolved.maxFrameBytes, 1, Number.MAX_SAFE_INTEGER);
  if (resolved.parseMode !== 'lenient' && resolved.parseMode !== 'strict') {
    issues.push({
      keyPath: 'parseMode',
      message: `must be lenient or strict, got ${String(resolved.parseMode)}`,
    });
  }
  if (issues.length > 0) {
    throw new ConfigError(`invalid MLLP listener options: ${issues.length} problem(s)`, issues);
  }
  return resolved;
}

/** Add an issue unless `value` is an integer from `min` to `max`; shared by listener and client options. */
export function checkInteger(
  issues: ConfigIssue[],
  keyPath: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    issues.push({
      keyPath,
      message: `must be an integer from ${min} to ${max}, got ${String(value)}`,
    });
  }
}
