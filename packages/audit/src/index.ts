export { AuditError, InvalidAuditEventError } from './errors';
export { AUDIT_OUTCOMES } from './event';
export type { AuditDetails, AuditEvent, AuditEventInput, AuditLog, AuditOutcome } from './event';
export { FileAuditLog } from './file-audit-log';
export type { FileAuditLogOptions } from './file-audit-log';
export type { IndexLockOptions } from './index-lock';
export { genesisHash, computeRecordHash } from './chain';
export { readAuditEvents } from './read-events';
export type { AuditEventFilter } from './read-events';
export {
  MAX_DETAIL_KEYS,
  MAX_DETAIL_KEY_LENGTH,
  MAX_DETAIL_STRING_LENGTH,
  MAX_NAME_LENGTH,
  validateEventInput,
} from './validate-event';
export { verifyAuditLog } from './verify';
export type { VerifyAuditLogOptions } from './verify';
export { formatAuditProblem } from './verify-result';
export type { AuditProblem, AuditProblemReason, AuditVerifyResult } from './verify-result';
export { AuditMirrorError } from './errors';
export { mergeSegmentEvents, matchesAuditFilter } from './merge-events';
export type { SegmentSource } from './merge-events';
export { S3AuditMirror } from './mirror/s3-audit-mirror';
export type { AuditMirrorResult, S3AuditMirrorOptions } from './mirror/s3-audit-mirror';
export { readMirroredAuditEvents } from './mirror/read-mirror';
export type { AuditMirrorLocation } from './mirror/read-mirror';
export { MAX_CHUNK_RECORDS } from './mirror/mirror-chain';
export { readLakeMirroredAuditEvents } from './mirror/read-mirror';
export type { LakeAuditMirror } from './mirror/read-mirror';
export {
  auditMirrorRoot,
  cliAuditMirrorPrefix,
  pipelineAuditMirrorPrefix,
} from './mirror/writer-prefixes';
