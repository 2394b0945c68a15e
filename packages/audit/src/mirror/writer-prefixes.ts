import { normalizeMirrorPrefix } from './mirror-layout';

/**
 * Prefixes of the audit bucket, one per writer of a lake's audit chain, so that a runner's
 * role may be limited to its own prefix and a reader finds every chain:
 *   <lake prefix>_audit/cli/                       the CLI (`carelake audit mirror`, `pipeline run`)
 *   <lake prefix>_audit/pipelines/<pipeline name>/  the deployed runner of one pipeline
 * Pipeline names cannot contain `/`, so no pipeline's prefix can hold another writer's keys.
 */
export const AUDIT_MIRROR_FOLDER = '_audit/';
export const CLI_WRITER_FOLDER = 'cli/';
export const PIPELINE_WRITERS_FOLDER = 'pipelines/';

/** Prefix of the audit chains of a lake, `<lake prefix>_audit/`. */
export function auditMirrorRoot(lakePrefix: string): string {
  return `${normalizeMirrorPrefix(lakePrefix)}${AUDIT_MIRROR_FOLDER}`;
}

/** Prefix that the CLI mirrors a lake's audit chain under. */
export function cliAuditMirrorPrefix(lakePrefix: string): string {
  return `${auditMirrorRoot(lakePrefix)}${CLI_WRITER_FOLDER}`;
}

/** Prefix that the deployed runner of a pipeline mirrors its audit chain under. */
export function pipelineAuditMirrorPrefix(lakePrefix: string, pipelineName: string): string {
  return `${auditMirrorRoot(lakePrefix)}${PIPELINE_WRITERS_FOLDER}${pipelineName}/`;
}
