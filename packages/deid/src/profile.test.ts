// Real: the zod profile schema. Nothing is faked.
import { DeidProfileError } from './errors';
import { parseDeidProfile } from './profile';

describe('parseDeidProfile', () => {
  it('fills the defaults', () => {
    const profile = parseDeidProfile({ method: 'safe-harbor' });

    expect(profile.riskCheck.k).toBe(5);
    expect(profile.freeText.detect).toBe(false);
    expect(profile.restrictedZip3List).toBe('union');
    expect(profile.dateShift.maxShiftDays).toBe(365);
    expect(profile.patientColumn).toBe('patient_key');
  });

  it('lists every invalid setting', () => {
    let caught: unknown;
    try {
      parseDeidProfile({
        method: 'safe-harbor',
        riskCheck: { k: 1 },
        columns: { city: { action: 'keep' } },
        restrictedZip3List: 'census-2020',
        freeText: { detect: 'yes' },
      });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DeidProfileError);
    const keyPaths = (caught as DeidProfileError).issues.map((issue) => issue.keyPath).sort();
    expect(keyPaths).toEqual(['freeText.detect', 'restrictedZip3List', 'riskCheck.k']);
  });

  it.each([
    { case: 'unknown method', document: { method: 'anonymous' }, keyPath: 'method' },
    { case: 'unknown action', document: { method: 'limited', columns: { city: { action: 'blur' } } }, keyPath: 'columns.city.action' },
    { case: 'zip3 of a date', document: { method: 'limited', columns: { city: { action: 'generalize', to: 'day' } } }, keyPath: 'columns.city.to' },
    { case: 'columns under safe harbor', document: { method: 'safe-harbor', columns: { city: { action: 'keep' } } }, keyPath: 'columns' },
    { case: 'shift of zero days', document: { method: 'limited', dateShift: { maxShiftDays: 0 } }, keyPath: 'dateShift.maxShiftDays' },
    { case: 'unknown key', document: { method: 'limited', salt: 'x' }, keyPath: '' },
  ])('rejects $case', ({ document, keyPath }) => {
    expect(() => parseDeidProfile(document)).toThrow(DeidProfileError);
    try {
      parseDeidProfile(document);
    } catch (error) {
      expect((error as DeidProfileError).issues[0]?.keyPath).toBe(keyPath);
    }
  });
});
