import { ConfigError, type ConfigIssue, type LoadedConfig } from '@carelake/core';
import { checkAwsEndpoint } from '@carelake/storage';

/**
 * Days a mirrored audit chunk stays locked when `aws.auditRetentionDays` is absent: six years,
 * as `carelake audit mirror` uses.
 */
export const DEFAULT_AUDIT_RETENTION_DAYS = 2190;

/** The settings of `carelake.yaml` that the aws backend of the lake needs, checked. */
export interface AwsLakeSettings {
  region: string;
  bucket: string;
  /** Key prefix of the lake inside the bucket, '' or ending with '/'. */
  prefix: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** KMS key that S3 encrypts every object of the lake and of the audit mirror under (SSE-KMS). */
  kmsKeyId: string;
  /** Bucket with S3 Object Lock that keeps the audit chain. */
  auditBucket: string;
  auditRetentionDays: number;
}

/**
 * Check the configuration of an aws-backend lake, reporting every problem at once. `aws.endpoint`
 * goes through the shared TLS check (`checkAwsEndpoint`) here, before any client is built.
 * @throws ConfigError naming `aws`, `aws.auditBucket`, `aws.endpoint` or `keys.provider`.
 */
export function checkAwsLakeConfig(config: LoadedConfig): AwsLakeSettings {
  const issues: ConfigIssue[] = [];
  const aws = config.aws;
  if (!aws) {
    issues.push({ keyPath: 'aws', message: 'is required when backend is aws (region, bucket and auditBucket)' });
  } else if (!aws.auditBucket) {
    issues.push({
      keyPath: 'aws.auditBucket',
      message: 'is required on the aws backend: the bucket with S3 Object Lock that keeps the audit chain',
    });
  }
  if (aws?.endpoint !== undefined) issues.push(...endpointIssues(aws.endpoint));
  if (config.keys.provider !== 'kms') {
    issues.push({
      keyPath: 'keys.provider',
      message: `is "${config.keys.provider}"; the aws backend needs "kms", with keys.keyId naming the KMS key of the lake bucket`,
    });
  }
  if (issues.length > 0 || !aws?.auditBucket || config.keys.provider !== 'kms') {
    throw new ConfigError(`the aws backend of the lake has ${issues.length} invalid setting(s)`, issues, {
      hint: 'Set these keys in carelake.yaml. The CDK app in infra/ names the audit bucket <lake bucket>-audit and creates the lake key.',
    });
  }

  return {
    region: aws.region,
    bucket: aws.bucket,
    prefix: aws.prefix === '' || aws.prefix.endsWith('/') ? aws.prefix : `${aws.prefix}/`,
    endpoint: aws.endpoint,
    forcePathStyle: aws.forcePathStyle,
    kmsKeyId: config.keys.keyId,
    auditBucket: aws.auditBucket,
    auditRetentionDays: aws.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
  };
}

/** Problems of an endpoint override, as `checkAwsEndpoint` reports them; none for a valid one. */
function endpointIssues(endpoint: string): ConfigIssue[] {
  try {
    checkAwsEndpoint(endpoint, 'aws.endpoint');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}
