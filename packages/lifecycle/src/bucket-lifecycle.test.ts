// Real: S3Client and its command serialization, rule rendering and comparison. Faked: the S3 service, by aws-sdk-client-mock.
import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  S3ServiceException,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { applyBucketLifecycle, checkBucketLifecycle, planBucketLifecycle, planHasChanges } from './bucket-lifecycle';
import { BucketLifecycleError } from './errors';
import type { ResolvedPolicy } from './resolve-policy';
import { renderLifecycleRule } from './s3-rules';

const bucket = 'carelake-lake-test';
const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
const s3 = mockClient(client);

const encounters: ResolvedPolicy = {
  table: 'clinical.encounters',
  policyName: 'phi-standard',
  source: 'dataset',
  transitions: [
    { days: 90, storageClass: 'STANDARD_IA' },
    { days: 365, storageClass: 'GLACIER_IR' },
    { days: 1095, storageClass: 'DEEP_ARCHIVE' },
  ],
  retention: [{ regulation: 'hipaa-documentation', jurisdiction: 'US', days: 2190 }],
  retentionDays: 2190,
  expireAfterDays: 2190,
  minObjectSizeBytes: undefined,
};
const segments: ResolvedPolicy = { ...encounters, table: 'raw.hl7v2_segments', minObjectSizeBytes: 16384, expireAfterDays: undefined };

const encountersRule: LifecycleRule = {
  ID: 'carelake-clinical.encounters',
  Status: 'Enabled',
  Filter: { And: { Prefix: 'curated/clinical/encounters/', Tags: [{ Key: 'carelake-hold', Value: 'false' }] } },
  Transitions: [
    { Days: 90, StorageClass: 'STANDARD_IA' },
    { Days: 365, StorageClass: 'GLACIER_IR' },
    { Days: 1095, StorageClass: 'DEEP_ARCHIVE' },
  ],
  Expiration: { Days: 2190 },
};
const foreignRule: LifecycleRule = { ID: 'abort-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } };

function noConfiguration(): S3ServiceException {
  return new S3ServiceException({ name: 'NoSuchLifecycleConfiguration', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'The lifecycle configuration does not exist' });
}

beforeEach(() => s3.reset());

describe('renderLifecycleRule', () => {
  it('renders one rule per dataset prefix', () => {
    expect(renderLifecycleRule(encounters)).toEqual(encountersRule);
  });

  it('adds the size filter and leaves out expiry', () => {
    const rule = renderLifecycleRule(segments);

    expect(rule.ID).toBe('carelake-raw.hl7v2_segments');
    expect(rule.Filter).toEqual({ And: { Prefix: 'raw/raw/hl7v2_segments/', Tags: [{ Key: 'carelake-hold', Value: 'false' }], ObjectSizeGreaterThan: 16384 } });
    expect(rule.Expiration).toBeUndefined();
  });

  it.each([
    { case: 'a nested prefix', lakePrefix: 'lakes/prod', expected: 'lakes/prod/curated/clinical/encounters/' },
    { case: 'a prefix with slashes', lakePrefix: '/lakes/prod/', expected: 'lakes/prod/curated/clinical/encounters/' },
  ])('puts the dataset under $case', ({ lakePrefix, expected }) => {
    expect(renderLifecycleRule(encounters, lakePrefix).Filter?.And?.Prefix).toBe(expected);
  });
});

describe('planBucketLifecycle', () => {
  it('plans creation when the bucket has no configuration', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: bucket }).rejects(noConfiguration());

    const plan = await planBucketLifecycle(client, { bucket }, [encounters]);

    expect(plan.changes).toEqual([{ ruleId: 'carelake-clinical.encounters', action: 'create', desired: encountersRule }]);
    expect(plan.otherRules).toEqual([]);
    expect(planHasChanges(plan)).toBe(true);
  });

  it.each([
    { case: 'unchanged rule', current: [encountersRule], actions: ['unchanged'] },
    { case: 'edited rule', current: [{ ...encountersRule, Expiration: { Days: 400 } }], actions: ['update'] },
    { case: 'disabled rule', current: [{ ...encountersRule, Status: 'Disabled' as const }], actions: ['update'] },
    { case: 'rule of a dropped dataset', current: [encountersRule, { ...encountersRule, ID: 'carelake-clinical.orders' }], actions: ['unchanged', 'delete'] },
  ])('compares an $case', async ({ current, actions }) => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [foreignRule, ...current] });

    const plan = await planBucketLifecycle(client, { bucket }, [encounters]);

    expect(plan.changes.map((change) => change.action)).toEqual(actions);
    expect(plan.otherRules).toEqual([foreignRule]);
  });

  it.each([
    { case: 'the 128 KiB floor', floor: 'all_storage_classes_128K' as const, hasChanges: false },
    { case: 'the per-class floor', floor: 'varies_by_storage_class' as const, hasChanges: true },
  ])('plans the size floor from $case', async ({ floor, hasChanges }) => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [encountersRule], TransitionDefaultMinimumObjectSize: floor });

    const plan = await planBucketLifecycle(client, { bucket }, [encounters]);

    expect(plan.currentTransitionMinimumObjectSize).toBe(floor);
    expect(planHasChanges(plan)).toBe(hasChanges);
  });

  it('raises BucketLifecycleError on access denied', async () => {
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(denied);

    const planning = planBucketLifecycle(client, { bucket }, [encounters]);

    await expect(planning).rejects.toBeInstanceOf(BucketLifecycleError);
    await expect(planning).rejects.toMatchObject({ bucket, cause: denied });
  });
});

describe('applyBucketLifecycle', () => {
  it('writes carelake rules beside the other rules', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [foreignRule, { ...encountersRule, ID: 'carelake-clinical.orders' }] });
    s3.on(PutBucketLifecycleConfigurationCommand).resolves({});

    await applyBucketLifecycle(client, await planBucketLifecycle(client, { bucket }, [encounters]));

    const puts = s3.commandCalls(PutBucketLifecycleConfigurationCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input).toEqual({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: [foreignRule, encountersRule] },
      TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
    });
  });

  it('deletes the configuration when no rule is left', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [encountersRule] });
    s3.on(DeleteBucketLifecycleCommand).resolves({});

    await applyBucketLifecycle(client, await planBucketLifecycle(client, { bucket }, []));

    expect(s3.commandCalls(DeleteBucketLifecycleCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: bucket }]);
    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)).toHaveLength(0);
  });

  it('raises BucketLifecycleError when the write fails', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(noConfiguration());
    s3.on(PutBucketLifecycleConfigurationCommand).rejects(new S3ServiceException({ name: 'MalformedXML', $fault: 'client', $metadata: {} }));

    const plan = await planBucketLifecycle(client, { bucket }, [encounters]);

    await expect(applyBucketLifecycle(client, plan)).rejects.toBeInstanceOf(BucketLifecycleError);
  });
});

describe('checkBucketLifecycle', () => {
  it.each([
    { case: 'no drift', current: [encountersRule], drift: [] },
    { case: 'rule removed by hand', current: [], drift: [{ ruleId: 'carelake-clinical.encounters', kind: 'missing' }] },
    { case: 'rule changed by hand', current: [{ ...encountersRule, Transitions: [{ Days: 30, StorageClass: 'GLACIER' as const }] }], drift: [{ ruleId: 'carelake-clinical.encounters', kind: 'changed' }] },
    {
      case: 'rule added by hand',
      current: [encountersRule, { ...encountersRule, ID: 'carelake-clinical.notes' }],
      drift: [{ ruleId: 'carelake-clinical.notes', kind: 'unexpected' }],
    },
  ])('reports $case', async ({ current, drift }) => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [foreignRule, ...current] });

    expect(await checkBucketLifecycle(client, { bucket }, [encounters])).toEqual(drift);
    expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)).toHaveLength(0);
  });
});
