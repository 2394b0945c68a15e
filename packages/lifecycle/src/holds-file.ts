import { randomBytes } from 'node:crypto';
import type { AuditLog } from '@carelake/audit';
import type { Clock } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';
import { LegalHoldError } from './errors';
import { placeLegalHold, releaseLegalHold, type LegalHold, type LegalHoldScope } from './legal-holds';

/** Lake key of the legal holds of a local lake, placed and released ones alike. */
export const LEGAL_HOLDS_KEY = '_state/lifecycle/holds.json';

interface StoredHold {
  id: string;
  scope: LegalHoldScope;
  reason: string;
  placedBy: string;
  placedAt: string;
  release?: { reason: string; releasedBy: string; releasedAt: string };
}

/** Reads the legal holds of the lake; a lake without the file has none. */
export async function readLegalHolds(store: ObjectStore): Promise<LegalHold[]> {
  if ((await store.head(LEGAL_HOLDS_KEY)) === undefined) return [];
  let stored: { holds: StoredHold[] };
  try {
    stored = JSON.parse(Buffer.from(await store.get(LEGAL_HOLDS_KEY)).toString('utf8')) as { holds: StoredHold[] };
  } catch (error) {
    throw new LegalHoldError(`legal holds file ${LEGAL_HOLDS_KEY} is not valid JSON`, {
      cause: error,
      position: { file: LEGAL_HOLDS_KEY },
      hint: 'Restore it from a backup. Until then lifecycle cannot tell which data is held, so do not run it.',
    });
  }
  return stored.holds.map(({ release, ...hold }) => ({
    ...hold,
    placedAt: new Date(hold.placedAt),
    ...(release ? { release: { ...release, releasedAt: new Date(release.releasedAt) } } : {}),
  }));
}

/** Writes every hold, released ones included, as one object, so a reader sees the old list or the new one. */
export async function writeLegalHolds(store: ObjectStore, holds: readonly LegalHold[]): Promise<void> {
  const stored: StoredHold[] = holds.map(({ release, ...hold }) => ({
    ...hold,
    placedAt: hold.placedAt.toISOString(),
    ...(release ? { release: { ...release, releasedAt: release.releasedAt.toISOString() } } : {}),
  }));
  await store.put(LEGAL_HOLDS_KEY, JSON.stringify({ holds: stored }, null, 1), { contentType: 'application/json' });
}

export interface HoldStoreContext {
  store: ObjectStore;
  audit: AuditLog;
  clock: Clock;
  /** Principal placing or releasing the hold. */
  principal: string;
}

/** Places a hold, stores it with the lake's holds, and records an audit event without the reason text. */
export async function placeStoredHold(lake: HoldStoreContext, scope: LegalHoldScope, reason: string): Promise<LegalHold> {
  const holds = await readLegalHolds(lake.store);
  const hold = placeLegalHold({ id: `hold-${randomBytes(6).toString('hex')}`, scope, reason, placedBy: lake.principal, placedAt: lake.clock.now() });
  await writeLegalHolds(lake.store, [...holds, hold]);
  await lake.audit.append({
    principal: lake.principal,
    action: 'lifecycle.hold.place',
    resources: heldTables(scope),
    outcome: 'success',
    details: { holdId: hold.id, scope: scope.kind, partitions: partitionCountOf(scope) },
  });
  return hold;
}

/** Releases a hold by id, raising `LegalHoldError` for an unknown id, a blank reason or a second release. */
export async function releaseStoredHold(lake: HoldStoreContext, id: string, reason: string): Promise<LegalHold> {
  const holds = await readLegalHolds(lake.store);
  const hold = holds.find((candidate) => candidate.id === id);
  if (hold === undefined) {
    throw new LegalHoldError(`legal hold ${id} not found`, { hint: 'List the holds with carelake lifecycle hold list.' });
  }
  const released = releaseLegalHold(hold, { reason, releasedBy: lake.principal, releasedAt: lake.clock.now() });
  await writeLegalHolds(lake.store, holds.map((candidate) => (candidate.id === id ? released : candidate)));
  await lake.audit.append({
    principal: lake.principal,
    action: 'lifecycle.hold.release',
    resources: heldTables(hold.scope),
    outcome: 'success',
    details: { holdId: id },
  });
  return released;
}

function heldTables(scope: LegalHoldScope): string[] {
  if (scope.kind !== 'patient') return [scope.table];
  return [...new Set(scope.partitions.map((partition) => partition.table))].sort();
}

/** Return how many partitions a hold names: those of a patient, one, or none for a whole dataset. */
function partitionCountOf(scope: LegalHoldScope): number {
  if (scope.kind === 'patient') return scope.partitions.length;
  return scope.kind === 'partition' ? 1 : 0;
}
