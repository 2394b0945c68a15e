import { LegalHoldError } from './errors';

/**
 * Scope of a legal hold: a dataset, one partition, or a patient. A patient hold covers every partition that contains the patient's rows,
 * listed when the hold is placed, because lifecycle rules act on objects and never read rows.
 */
export type LegalHoldScope =
  | { kind: 'dataset'; table: string }
  | { kind: 'partition'; table: string; partition: string }
  | { kind: 'patient'; patientKey: string; partitions: readonly HeldPartition[] };

/** One partition of a table, with its Hive-style path such as `admit_date=2024-03-01`. */
export interface HeldPartition {
  table: string;
  partition: string;
}

export interface LegalHold {
  id: string;
  scope: LegalHoldScope;
  /** Reason the hold was placed, such as a matter or case id. */
  reason: string;
  placedBy: string;
  placedAt: Date;
  release?: { reason: string; releasedBy: string; releasedAt: Date };
}

/** A data object of the lake, identified by its table and partition as lifecycle rules match it. */
export interface LakeObject {
  /** Catalog name of the table, `database.table`. */
  table: string;
  /** Hive-style partition path, such as `admit_date=2024-03-01`; absent for an unpartitioned table. */
  partition?: string;
}

export interface PlaceHoldRequest {
  id: string;
  scope: LegalHoldScope;
  reason: string;
  placedBy: string;
  placedAt: Date;
}

/** Creates a legal hold, rejecting a blank reason or a patient hold that covers no partition. */
export function placeLegalHold(request: PlaceHoldRequest): LegalHold {
  if (request.reason.trim() === '') {
    throw new LegalHoldError(`legal hold ${request.id} has no reason`, { hint: 'Give the matter or case that requires the hold.' });
  }
  if (request.scope.kind === 'patient' && request.scope.partitions.length === 0) {
    throw new LegalHoldError(`legal hold ${request.id} on patient ${request.scope.patientKey} lists no partitions`, {
      hint: "List the partitions that contain the patient's rows, from the catalog.",
    });
  }
  return { ...request };
}

export interface ReleaseHoldRequest {
  reason: string;
  releasedBy: string;
  releasedAt: Date;
}

/** Returns the hold released, raising `LegalHoldError` when the reason is blank or it was released before. */
export function releaseLegalHold(hold: LegalHold, request: ReleaseHoldRequest): LegalHold {
  if (hold.release !== undefined) {
    throw new LegalHoldError(`legal hold ${hold.id} was already released at ${hold.release.releasedAt.toISOString()}`);
  }
  if (request.reason.trim() === '') {
    throw new LegalHoldError(`releasing legal hold ${hold.id} needs a reason`, {
      hint: 'Give the reason the hold may end, such as the matter being closed.',
    });
  }
  return { ...hold, release: { ...request } };
}

/** Returns the holds in force that cover the object. */
export function holdsCovering(object: LakeObject, holds: readonly LegalHold[]): LegalHold[] {
  return holds.filter((hold) => hold.release === undefined && scopeCovers(hold.scope, object));
}

/** Returns true when no hold in force covers the object, so lifecycle may expire it. */
export function expirable(object: LakeObject, holds: readonly LegalHold[]): boolean {
  return holdsCovering(object, holds).length === 0;
}

function scopeCovers(scope: LegalHoldScope, object: LakeObject): boolean {
  switch (scope.kind) {
    case 'dataset':
      return scope.table === object.table;
    case 'partition':
      return scope.table === object.table && scope.partition === object.partition;
    case 'patient':
      return scope.partitions.some((held) => held.table === object.table && held.partition === object.partition);
  }
}
