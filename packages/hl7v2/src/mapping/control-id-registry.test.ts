// Real: the ControlIdRegistry on its own. Faked: nothing; hashes are written out by hand.
import { ControlIdRegistry } from './control-id-registry';

const KEY = { sendingApplication: 'ADMIT', sendingFacility: 'NORTH', controlId: 'CTRL-1' };
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const FIRST = { file: 'landing/a.hl7', messageIndex: 0 };
const LATER = { file: 'landing/b.hl7', messageIndex: 3 };

describe('ControlIdRegistry', () => {
  it('reports a new control id', () => {
    expect(new ControlIdRegistry().record(KEY, HASH_A, FIRST)).toEqual({ status: 'new' });
  });

  it('reports the same content as a resend', () => {
    const registry = new ControlIdRegistry();
    registry.record(KEY, HASH_A, FIRST);

    expect(registry.record(KEY, HASH_A, LATER)).toEqual({ status: 'resend', first: FIRST });
  });

  it('reports other content as a reuse, and its first sighting', () => {
    const registry = new ControlIdRegistry();
    registry.record(KEY, HASH_A, FIRST);

    expect(registry.record(KEY, HASH_B, LATER)).toEqual({ status: 'reused', first: FIRST });
    expect(registry.record(KEY, HASH_B, LATER)).toEqual({ status: 'resend', first: FIRST });
  });

  it.each([
    { case: 'application', other: { ...KEY, sendingApplication: 'LAB' } },
    { case: 'facility', other: { ...KEY, sendingFacility: 'SOUTH' } },
    { case: 'control id', other: { ...KEY, controlId: 'CTRL-2' } },
    { case: 'missing facility', other: { ...KEY, sendingFacility: null } },
  ])('keeps another $case apart', ({ other }) => {
    const registry = new ControlIdRegistry();
    registry.record(KEY, HASH_A, FIRST);

    expect(registry.record(other, HASH_B, LATER)).toEqual({ status: 'new' });
    expect(registry.size).toBe(2);
  });
});
