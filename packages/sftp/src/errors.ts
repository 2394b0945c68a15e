import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Server of an SFTP error, and the remote path for errors of file operations. */
export interface SftpErrorTarget {
  host: string;
  port: number;
  remotePath?: string;
}

/**
 * Root of the errors the SFTP package raises. Each carries the server and, for file
 * operations, the remote path, so a message names `host:port` and the path, never file contents.
 */
export class SftpError extends CarelakeError {
  readonly host: string;
  readonly port: number;
  readonly remotePath: string | undefined;

  constructor(message: string, target: SftpErrorTarget, options: CarelakeErrorOptions = {}) {
    const position =
      target.remotePath === undefined ? options.position : { file: target.remotePath };
    super(message, { ...options, position });
    this.host = target.host;
    this.port = target.port;
    this.remotePath = target.remotePath;
  }
}

/** Reason a host key was rejected. */
export type HostKeyRejection = 'unknown' | 'changed' | 'revoked';

/**
 * The server presented a host key that is not pinned or listed in known_hosts, that differs
 * from the expected one, or that known_hosts marks as revoked.
 */
export class SftpHostKeyError extends SftpError {
  readonly reason: HostKeyRejection;
  /** Key type the server presented, such as `ssh-ed25519`. */
  readonly keyType: string;
  /** OpenSSH SHA256 fingerprint of the presented key, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;

  constructor(
    message: string,
    target: SftpErrorTarget,
    details: { reason: HostKeyRejection; keyType: string; fingerprint: string },
    options: CarelakeErrorOptions = {},
  ) {
    super(message, target, options);
    this.reason = details.reason;
    this.keyType = details.keyType;
    this.fingerprint = details.fingerprint;
  }
}

/** The server rejected every authentication method offered, or the private key could not be used. */
export class SftpAuthenticationError extends SftpError {}

/**
 * The connection could not be opened, or closed while an operation was running. Operations
 * that fail this way are retried on a new connection.
 */
export class SftpConnectionError extends SftpError {}

/** The server rejected an operation with an SFTP status error, such as no such file or permission denied. */
export class SftpRemoteError extends SftpError {
  /** SFTP status code (2 no such file, 3 permission denied, 4 failure), or the client's error code. */
  readonly code: number | string | undefined;

  constructor(
    message: string,
    target: SftpErrorTarget,
    code: number | string | undefined,
    options: CarelakeErrorOptions = {},
  ) {
    super(message, target, options);
    this.code = code;
  }
}

/** The bytes read differ from the size the listing reported, so the file changed after it was listed. */
export class SftpFileChangedError extends SftpError {
  readonly expectedBytes: number;
  readonly actualBytes: number;

  constructor(
    message: string,
    target: SftpErrorTarget,
    expectedBytes: number,
    actualBytes: number,
  ) {
    super(message, target, {
      hint: 'The file is left on the server and is taken again once it is stable.',
    });
    this.expectedBytes = expectedBytes;
    this.actualBytes = actualBytes;
  }
}

/** The sink returned without reading the whole body, so the download cannot be checked. */
export class SftpSinkError extends SftpError {}
