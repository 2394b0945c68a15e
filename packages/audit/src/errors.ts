import { CarelakeError, type CarelakeErrorOptions, type ConfigIssue } from '@carelake/core';

/** Root of the errors raised by the audit log: a closed or failed log, a lock timeout, a damaged file. */
export class AuditError extends CarelakeError {}

/**
 * Raised by `append` when an event input breaks the rules, before anything is written.
 * Every problem is listed, each with its key path (`details.rowCount`, `resources[2]`).
 * Messages name keys and lengths, never the rejected values, which may hold health data.
 */
export class InvalidAuditEventError extends AuditError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: CarelakeErrorOptions = {}) {
    super(`invalid audit event: ${issues.length} problem(s)`, options);
    this.issues = issues;
  }

  override describe(): string {
    const lines = this.issues.map((issue) => `  - ${issue.keyPath || '(root)'}: ${issue.message}`);
    return [this.message, ...lines].join('\n');
  }
}

/** Raised when the audit mirror cannot write to or read from its S3 bucket, or finds a broken mirrored chain. */
export class AuditMirrorError extends AuditError {}
