import type { ConfigIssue } from '@carelake/core';
import { InvalidAuditEventError } from './errors';
import { AUDIT_OUTCOMES, type AuditDetails, type AuditEventInput } from './event';

/** Maximum length of a `details` string: room for ids and hashes, not for free text. */
export const MAX_DETAIL_STRING_LENGTH = 200;
export const MAX_DETAIL_KEYS = 50;
export const MAX_DETAIL_KEY_LENGTH = 64;
/** Maximum length of a principal or resource, enough for an IAM role ARN with a path or a lake key. */
export const MAX_NAME_LENGTH = 1024;

const INPUT_FIELDS = ['principal', 'action', 'resources', 'outcome', 'details'];
/** Lower snake case (`row_count`) or lower camel case (`rowCount`). */
const DETAIL_KEY_PATTERN = /^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)*|[a-z][a-zA-Z0-9]*)$/;
/** Two or more dotted lower-case words: `table.commit`, `grant.revoke`, `pipeline.run_step`. */
const ACTION_PATTERN = /^[a-z][a-zA-Z0-9_]*(?:\.[a-z][a-zA-Z0-9_]*)+$/;

/**
 * Throw `InvalidAuditEventError` listing every problem of an input. Values are
 * checked at run time too, because callers in plain JavaScript or with `as` casts
 * would otherwise write whatever they hold into a file that is kept for years.
 */
export function validateEventInput(input: AuditEventInput): void {
  const issues: ConfigIssue[] = [];
  if (!isPlainObject(input)) {
    throw new InvalidAuditEventError([{ keyPath: '', message: 'expected an object' }]);
  }

  for (const key of Object.keys(input)) {
    if (!INPUT_FIELDS.includes(key)) {
      issues.push({ keyPath: key, message: `unknown field; allowed: ${INPUT_FIELDS.join(', ')}` });
    }
  }
  checkName(input.principal, 'principal', issues);
  if (typeof input.action !== 'string' || !ACTION_PATTERN.test(input.action)) {
    issues.push({
      keyPath: 'action',
      message: 'expected a dotted lower-case verb such as table.commit or query.run',
    });
  }
  checkResources(input.resources, issues);
  if (!(AUDIT_OUTCOMES as readonly unknown[]).includes(input.outcome)) {
    issues.push({ keyPath: 'outcome', message: `expected one of ${AUDIT_OUTCOMES.join(', ')}` });
  }
  if (input.details !== undefined) checkDetails(input.details, issues);

  if (issues.length > 0) throw new InvalidAuditEventError(issues);
}

function checkName(value: unknown, keyPath: string, issues: ConfigIssue[]): void {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ keyPath, message: 'expected a non-empty string' });
  } else if (value.length > MAX_NAME_LENGTH) {
    issues.push({
      keyPath,
      message: `${value.length} characters, more than the maximum of ${MAX_NAME_LENGTH}`,
    });
  }
}

function checkResources(resources: unknown, issues: ConfigIssue[]): void {
  if (!Array.isArray(resources)) {
    issues.push({ keyPath: 'resources', message: 'expected an array of strings (may be empty)' });
    return;
  }
  resources.forEach((resource: unknown, index) =>
    checkName(resource, `resources[${index}]`, issues),
  );
}

function checkDetails(details: unknown, issues: ConfigIssue[]): void {
  if (!isPlainObject(details)) {
    issues.push({
      keyPath: 'details',
      message: 'expected an object of strings, numbers and booleans',
    });
    return;
  }
  const keys = Object.keys(details);
  if (keys.length > MAX_DETAIL_KEYS) {
    issues.push({
      keyPath: 'details',
      message: `${keys.length} keys, more than the maximum of ${MAX_DETAIL_KEYS}`,
    });
  }
  for (const key of keys) {
    checkDetail(key, (details as AuditDetails)[key], issues);
  }
}

function checkDetail(key: string, value: unknown, issues: ConfigIssue[]): void {
  if (key.length > MAX_DETAIL_KEY_LENGTH || !DETAIL_KEY_PATTERN.test(key)) {
    // The key is shown only when it fits the limit, since a long one may be data used as a key.
    const keyLabel =
      key.length > MAX_DETAIL_KEY_LENGTH ? `(a key of ${key.length} characters)` : key;
    issues.push({
      keyPath: `details.${keyLabel}`,
      message: `expected a lower snake_case or camelCase key of at most ${MAX_DETAIL_KEY_LENGTH} characters`,
    });
    return;
  }

  const keyPath = `details.${key}`;
  if (typeof value === 'string') {
    if (value.length > MAX_DETAIL_STRING_LENGTH) {
      issues.push({
        keyPath,
        message: `string of ${value.length} characters, more than the maximum of ${MAX_DETAIL_STRING_LENGTH}. Pass an id, count or hash instead`,
      });
    }
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      issues.push({ keyPath, message: 'expected a finite number, found NaN or Infinity' });
    }
  } else if (typeof value !== 'boolean') {
    issues.push({
      keyPath,
      message: `expected a string, finite number or boolean, found ${describeType(value)}`,
    });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
