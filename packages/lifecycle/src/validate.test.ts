// Real: the validation rules over policy objects built in the test. Nothing is faked.
import { lifecyclePolicyFileSchema, type LifecyclePolicyFile } from './policy-file';
import { hasErrors, validateLifecyclePolicies, type LifecycleIssue } from './validate';

function fileWith(policy: Record<string, unknown>): LifecyclePolicyFile {
  return lifecyclePolicyFileSchema.parse({ policies: { p: { description: 'test policy', ...policy } } });
}

function summary(issues: LifecycleIssue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.rule} ${issue.keyPath}`);
}

describe('validateLifecyclePolicies', () => {
  it.each([
    {
      case: 'transition back up the waterfall',
      transitions: [{ days: 30, storageClass: 'GLACIER_IR' }, { days: 200, storageClass: 'STANDARD_IA' }],
      expected: ['error transition-not-allowed policies.p.transitions[1].storageClass'],
    },
    {
      case: 'ONEZONE_IA to GLACIER_IR',
      transitions: [{ days: 30, storageClass: 'ONEZONE_IA' }, { days: 90, storageClass: 'GLACIER_IR' }],
      expected: ['error transition-not-allowed policies.p.transitions[1].storageClass'],
    },
    {
      case: 'days not increasing',
      transitions: [{ days: 90, storageClass: 'GLACIER_IR' }, { days: 90, storageClass: 'DEEP_ARCHIVE' }],
      expected: ['error transition-days-not-increasing policies.p.transitions[1].days'],
    },
    {
      case: 'STANDARD_IA before 30 days',
      transitions: [{ days: 29, storageClass: 'STANDARD_IA' }],
      expected: ['error infrequent-access-minimum-age policies.p.transitions[0].days'],
    },
    {
      case: 'leaving STANDARD_IA within 30 days',
      transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 45, storageClass: 'GLACIER' }],
      expected: ['error infrequent-access-minimum-stay policies.p.transitions[1].days'],
    },
    {
      case: 'leaving GLACIER_IR within 90 days',
      transitions: [{ days: 0, storageClass: 'GLACIER_IR' }, { days: 60, storageClass: 'DEEP_ARCHIVE' }],
      expected: ['warning minimum-storage-duration policies.p.transitions[1].days'],
    },
    {
      case: 'the phi-standard waterfall',
      transitions: [{ days: 90, storageClass: 'STANDARD_IA' }, { days: 365, storageClass: 'GLACIER_IR' }, { days: 1095, storageClass: 'DEEP_ARCHIVE' }],
      expected: [],
    },
  ])('checks transitions: $case', ({ transitions, expected }) => {
    expect(summary(validateLifecyclePolicies(fileWith({ transitions })))).toEqual(expected);
  });

  it.each([
    {
      case: 'expiry before one retention',
      policy: { expireAfterDays: 2000, retention: [{ regulation: 'a', jurisdiction: 'US', days: 1000 }, { regulation: 'b', jurisdiction: 'US-NY', days: 2190 }] },
      expected: ['error expiry-before-retention policies.p.expireAfterDays'],
    },
    {
      case: 'expiry at the last transition',
      policy: { expireAfterDays: 365, transitions: [{ days: 365, storageClass: 'GLACIER' }] },
      expected: ['error expiry-not-after-last-transition policies.p.expireAfterDays'],
    },
    {
      case: 'expiry within the Deep Archive minimum',
      policy: { expireAfterDays: 1200, transitions: [{ days: 1095, storageClass: 'DEEP_ARCHIVE' }] },
      expected: ['warning minimum-storage-duration policies.p.expireAfterDays'],
    },
    {
      case: 'expiry from retention within the IA stay',
      policy: { transitions: [{ days: 30, storageClass: 'STANDARD_IA' }], retention: [{ regulation: 'a', jurisdiction: 'US', days: 40 }] },
      expected: ['error infrequent-access-minimum-stay policies.p.expireAfterDays'],
    },
    {
      case: 'expiry and neverExpire together',
      policy: { expireAfterDays: 100, neverExpire: true },
      expected: ['error expiry-conflict policies.p.expireAfterDays'],
    },
    {
      case: 'retention longer than the transitions',
      policy: { transitions: [{ days: 1095, storageClass: 'DEEP_ARCHIVE' }], retention: [{ regulation: 'a', jurisdiction: 'US', days: 2190 }] },
      expected: [],
    },
  ])('checks expiry: $case', ({ policy, expected }) => {
    expect(summary(validateLifecyclePolicies(fileWith(policy)))).toEqual(expected);
  });

  it('returns every problem of a file at once', () => {
    const file = fileWith({
      transitions: [{ days: 10, storageClass: 'ONEZONE_IA' }, { days: 20, storageClass: 'STANDARD_IA' }],
      expireAfterDays: 15,
      retention: [{ regulation: 'a', jurisdiction: 'US', days: 100 }],
    });

    const issues = validateLifecyclePolicies(file);

    expect(summary(issues)).toEqual([
      'error infrequent-access-minimum-age policies.p.transitions[0].days',
      'error transition-not-allowed policies.p.transitions[1].storageClass',
      'error infrequent-access-minimum-age policies.p.transitions[1].days',
      'error infrequent-access-minimum-stay policies.p.transitions[1].days',
      'error expiry-before-retention policies.p.expireAfterDays',
      'error expiry-not-after-last-transition policies.p.expireAfterDays',
    ]);
    expect(hasErrors(issues)).toBe(true);
  });

  it.each([
    { case: 'mostly small objects', stats: { objectCount: 10, objectsUnder128KiBCount: 6 }, minObjectSizeBytes: undefined, expected: ['warning small-objects-not-transitioned retention'] },
    { case: 'half small objects', stats: { objectCount: 10, objectsUnder128KiBCount: 5 }, minObjectSizeBytes: undefined, expected: [] },
    { case: 'small objects with a size filter', stats: { objectCount: 10, objectsUnder128KiBCount: 9 }, minObjectSizeBytes: 1024, expected: [] },
  ])('checks object sizes: $case', ({ stats, minObjectSizeBytes, expected }) => {
    const file = fileWith({ transitions: [{ days: 30, storageClass: 'STANDARD_IA' }], minObjectSizeBytes });
    const dataset = { table: 'raw.hl7v2_segments', classification: 'phi' as const, retention: 'p' };

    const issues = validateLifecyclePolicies(file, { datasets: [dataset], objectStats: new Map([[dataset.table, stats]]) });

    expect(summary(issues)).toEqual(expected);
    expect(issues.every((issue) => issue.table === dataset.table)).toBe(true);
    expect(hasErrors(issues)).toBe(false);
  });

  it.each([
    { case: 'an undeclared policy', retention: 'q', expected: ['error unknown-policy retention'] },
    { case: 'no policy and no default', retention: undefined, expected: ['error missing-policy retention'] },
  ])('checks datasets naming $case', ({ retention, expected }) => {
    const issues = validateLifecyclePolicies(fileWith({}), { datasets: [{ table: 'clinical.patients', classification: 'phi', retention }] });

    expect(summary(issues)).toEqual(expected);
    expect(issues[0]?.table).toBe('clinical.patients');
  });
});
