import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { loadConfig, ManualClock, type LoadedConfig } from '@carelake/core';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
/* eslint-disable @nx/enforce-module-boundaries -- the fakes of Glue and S3 are test fixtures of the
   catalog and pipeline packages, shared here rather than written twice. */
import { FakeGlue } from '../../../../catalog/src/glue/__fixtures__/fake-glue';
import { fakeS3, type FakeS3 } from '../../../../pipeline/src/__fixtures__/fake-s3';
/* eslint-enable @nx/enforce-module-boundaries */

// Static credentials, so that the SDK never looks for any elsewhere, should a call get past the mocks.
process.env['AWS_ACCESS_KEY_ID'] = 'AKIAIOSFODNN7EXAMPLE';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test-secret-key-not-real';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

export const TEST_ACCOUNT = '111122223333';
export const LAKE_BUCKET = 'carelake-test-lake';
export const AUDIT_BUCKET = 'carelake-test-lake-audit';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A dataset of public columns only, so that any principal may be granted all of it. */
export const VISITS_DATASET = `table: clinical.visits
description: Visits per facility and month.
classification: deidentified
owner: data-engineering
steward: clinical-steward
retention: phi-standard
columns:
  visit_month: { type: string, description: "Month of the visit, YYYY-MM." }
  facility: { type: string }
  visits: { type: bigint }
`;

/** A project folder with carelake.yaml on the aws backend, and S3 and Glue behind in-memory fakes. */
export interface AwsProject {
  folder: string;
  config: LoadedConfig;
  s3: FakeS3;
  glue: AwsClientStub<GlueClient>;
  clock: ManualClock;
  /** Audit events mirrored to the audit bucket so far, segment by segment in key order. */
  auditEvents(): Array<{ action: string; outcome: string; principal: string; resources: string[]; details?: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

/** Create the project, with `options.aws` added to the `aws` section of carelake.yaml; the Glue database `clinical` exists. */
export async function createAwsProject(options: { aws?: string } = {}): Promise<AwsProject> {
  const folder = await mkdtemp(join(tmpdir(), 'carelake-cli-aws-'));
  await mkdir(join(folder, 'scratch'));
  await writeFile(
    join(folder, 'carelake.yaml'),
    `backend: aws
lake: { scratchDir: ${join(folder, 'scratch')} }
keys: { provider: kms, keyId: "${KEY_ARN}" }
aws: { region: eu-west-1, bucket: ${LAKE_BUCKET}, prefix: lake, auditBucket: ${AUDIT_BUCKET}, auditRetentionDays: 30${options.aws === undefined ? '' : `, ${options.aws}`} }
principals:
  admin: { role: admin }
  ana: { role: user, groups: [analysts] }
groups:
  analysts: {}
`,
  );
  const config = loadConfig({ file: join(folder, 'carelake.yaml'), env: {} });
  const clock = new ManualClock('2026-03-04T05:06:07.000Z');
  const s3 = fakeS3();
  const glue = mockClient(GlueClient);
  const fakeGlue = new FakeGlue(clock);
  fakeGlue.addDatabase('clinical');
  fakeGlue.attach(glue);

  const auditEvents = (): ReturnType<AwsProject['auditEvents']> => {
    const bucket = s3.buckets.get(AUDIT_BUCKET) ?? new Map();
    const keys = [...bucket.keys()].filter((key) => key.includes('/segments/')).sort();
    return keys.flatMap((key) =>
      (bucket.get(key)?.body.toString('utf8') ?? '')
        .split('\n')
        .filter((line: string) => line !== '')
        .map((line: string) => JSON.parse(line) as ReturnType<AwsProject['auditEvents']>[number]),
    );
  };

  return {
    folder,
    config,
    s3,
    glue,
    clock,
    auditEvents,
    async cleanup() {
      s3.restore();
      glue.restore();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
