// Real: the legal hold model over holds built in the test. Nothing is faked.
import { LegalHoldError } from './errors';
import { expirable, holdsCovering, placeLegalHold, releaseLegalHold, type LegalHold, type LegalHoldScope } from './legal-holds';

const placedAt = new Date('2026-01-05T00:00:00Z');

function hold(id: string, scope: LegalHoldScope): LegalHold {
  return placeLegalHold({ id, scope, reason: 'matter 2026-017', placedBy: 'counsel', placedAt });
}

const patientHold = hold('h-patient', {
  kind: 'patient',
  patientKey: 'p-0042',
  partitions: [
    { table: 'clinical.encounters', partition: 'admit_date=2024-03-01' },
    { table: 'clinical.observations', partition: 'effective_date=2024-03-02' },
  ],
});
const datasetHold = hold('h-dataset', { kind: 'dataset', table: 'clinical.conditions' });
const partitionHold = hold('h-partition', { kind: 'partition', table: 'clinical.encounters', partition: 'admit_date=2024-04-01' });
const holds = [patientHold, datasetHold, partitionHold];

describe('expirable', () => {
  it.each([
    { case: 'partition of the held patient', object: { table: 'clinical.encounters', partition: 'admit_date=2024-03-01' }, heldBy: ['h-patient'] },
    { case: 'other table of the held patient', object: { table: 'clinical.observations', partition: 'effective_date=2024-03-02' }, heldBy: ['h-patient'] },
    { case: 'any partition of the held dataset', object: { table: 'clinical.conditions', partition: 'onset_date=2020-01-01' }, heldBy: ['h-dataset'] },
    { case: 'the held partition', object: { table: 'clinical.encounters', partition: 'admit_date=2024-04-01' }, heldBy: ['h-partition'] },
    { case: 'a partition no hold covers', object: { table: 'clinical.encounters', partition: 'admit_date=2024-05-01' }, heldBy: [] },
    { case: 'the same partition name in another table', object: { table: 'clinical.orders', partition: 'admit_date=2024-04-01' }, heldBy: [] },
  ])('checks $case', ({ object, heldBy }) => {
    expect(holdsCovering(object, holds).map((covering) => covering.id)).toEqual(heldBy);
    expect(expirable(object, holds)).toBe(heldBy.length === 0);
  });

  it('allows expiry once the hold is released', () => {
    const object = { table: 'clinical.conditions', partition: 'onset_date=2020-01-01' };
    const released = releaseLegalHold(datasetHold, { reason: 'matter closed', releasedBy: 'counsel', releasedAt: new Date('2026-06-01T00:00:00Z') });

    expect(expirable(object, [released])).toBe(true);
    expect(released.release?.reason).toBe('matter closed');
    expect(datasetHold.release).toBeUndefined();
  });
});

describe('legal hold rules', () => {
  it.each([
    { case: 'release without a reason', act: () => releaseLegalHold(datasetHold, { reason: '  ', releasedBy: 'counsel', releasedAt: placedAt }), message: 'releasing legal hold h-dataset needs a reason' },
    {
      case: 'second release',
      act: () => {
        const released = releaseLegalHold(datasetHold, { reason: 'closed', releasedBy: 'counsel', releasedAt: placedAt });
        releaseLegalHold(released, { reason: 'again', releasedBy: 'counsel', releasedAt: placedAt });
      },
      message: 'legal hold h-dataset was already released at 2026-01-05T00:00:00.000Z',
    },
    { case: 'hold without a reason', act: () => placeLegalHold({ id: 'h1', scope: { kind: 'dataset', table: 'clinical.orders' }, reason: '', placedBy: 'counsel', placedAt }), message: 'legal hold h1 has no reason' },
    {
      case: 'patient hold without partitions',
      act: () => placeLegalHold({ id: 'h2', scope: { kind: 'patient', patientKey: 'p-7', partitions: [] }, reason: 'matter', placedBy: 'counsel', placedAt }),
      message: 'legal hold h2 on patient p-7 lists no partitions',
    },
  ])('rejects $case', ({ act, message }) => {
    expect(act).toThrow(LegalHoldError);
    expect(act).toThrow(message);
  });
});
