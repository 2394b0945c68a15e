import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigError, type ConfigIssue } from '@carelake/core';

/**
 * Deployment settings that are not in carelake.yaml because they belong to one AWS account, passed
 * as CDK context values (`-c key=value`, or `context` in infra/cdk.json).
 */
export interface InfraContext {
  /** AWS account to deploy to; left out, the stacks are environment-agnostic. */
  account: string | undefined;
  /** AWS Region; carelake.yaml's `aws.region` when left out. */
  region: string | undefined;
  /** IAM role or user ARNs made Lake Formation data lake administrators; at least one. */
  lakeAdmins: string[];
  /** Name of the lake bucket; carelake.yaml's `aws.bucket` when left out. */
  lakeBucketName: string | undefined;
  /** Key prefix of the lake inside the bucket; carelake.yaml's `aws.prefix` when left out. */
  lakePrefix: string | undefined;
  /** CIDR block of the runners' VPC. */
  vpcCidr: string;
  /** Availability Zones the VPC spans. */
  maxAzs: number;
  /** Create an AWS Transfer Family SFTP server for partners who push files. */
  sftpServer: boolean;
  /** Athena stops a query of the workgroup after it scans this many bytes. */
  athenaBytesScannedCutoff: number;
  /** Days the audit bucket's Object Lock keeps each object version, in compliance mode. */
  auditRetentionDays: number;
  /** Days the runners' and the VPC flow logs' log groups keep events. */
  logRetentionDays: number;
  /** Prefix of the stack names, so that two deployments can share an account. */
  stackPrefix: string;
}

/** Returns the context value of a key, or undefined. CDK passes `-c` values as strings. */
export type ContextReader = (key: string) => unknown;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/**
 * Read and check the context values, reporting every invalid one at once.
 * @throws ConfigError with one issue per invalid value, each named `context.<key>`.
 */
export function readInfraContext(read: ContextReader): InfraContext {
  const issues: ConfigIssue[] = [];
  const text = (key: string): string | undefined => {
    const value = read(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    issues.push({ keyPath: `context.${key}`, message: `must be a string, found ${JSON.stringify(value)}` });
    return undefined;
  };
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const value = read(key);
    if (value === undefined || value === null || value === '') return fallback;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    issues.push({ keyPath: `context.${key}`, message: `must be a whole number from ${min} to ${max}, found ${JSON.stringify(value)}` });
    return fallback;
  };

  const account = text('account');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    issues.push({ keyPath: 'context.account', message: `must be a 12-digit AWS account id, found "${account}"` });
  }
  const lakeAdmins = listOf(read('lakeAdmins'));
  if (lakeAdmins.length === 0) {
    issues.push({
      keyPath: 'context.lakeAdmins',
      message: 'names no Lake Formation administrator; pass -c lakeAdmins=arn:aws:iam::ACCOUNT:role/NAME (comma-separated for several)',
    });
  }
  lakeAdmins.forEach((arn, index) => {
    if (!ARN.test(arn)) issues.push({ keyPath: `context.lakeAdmins[${index}]`, message: `"${arn}" is not an IAM role or user ARN` });
  });
  const vpcCidr = text('vpcCidr') ?? '10.40.0.0/16';
  const cidr = CIDR.exec(vpcCidr);
  if (!cidr || Number(cidr[5]) < 16 || Number(cidr[5]) > 24 || cidr.slice(1, 5).some((octet) => Number(octet) > 255)) {
    issues.push({ keyPath: 'context.vpcCidr', message: `"${vpcCidr}" is not an IPv4 CIDR block from /16 to /24` });
  }
  const sftpValue = read('sftpServer');
  const sftpServer = sftpValue === undefined || sftpValue === null || sftpValue === '' ? 'false' : String(sftpValue);
  if (!['true', 'false'].includes(sftpServer)) {
    issues.push({ keyPath: 'context.sftpServer', message: `must be true or false, found "${sftpServer}"` });
  }
  const stackPrefix = text('stackPrefix') ?? 'Carelake';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(stackPrefix)) {
    issues.push({ keyPath: 'context.stackPrefix', message: `"${stackPrefix}" must be letters, digits and "-", starting with a letter` });
  }

  const context: InfraContext = {
    account,
    region: text('region'),
    lakeAdmins,
    lakeBucketName: text('lakeBucketName'),
    lakePrefix: text('lakePrefix'),
    vpcCidr,
    maxAzs: integer('maxAzs', 2, 2, 6),
    sftpServer: sftpServer === 'true',
    // 1 TB: a scan of the whole curated layer of a large deployment, not a runaway cross join.
    athenaBytesScannedCutoff: integer('athenaBytesScannedCutoff', 1_000_000_000_000, 10_000_000, Number.MAX_SAFE_INTEGER),
    // Six years, as HIPAA keeps required documentation (45 CFR 164.316(b)(2)).
    auditRetentionDays: integer('auditRetentionDays', 2190, 1, 36_500),
    logRetentionDays: integer('logRetentionDays', 365, 1, 3653),
    stackPrefix,
  };
  if (!(Object.values(RetentionDays) as unknown[]).includes(context.logRetentionDays)) {
    issues.push({ keyPath: 'context.logRetentionDays', message: `${context.logRetentionDays} is not a retention CloudWatch Logs offers, such as 90, 365 or 3653` });
  }
  if (issues.length > 0) {
    throw new ConfigError(`${issues.length} invalid CDK context value(s)`, issues, {
      hint: 'Pass them with -c key=value on the cdk command line, or set them under context in infra/cdk.json.',
    });
  }
  return context;
}

/** Accepts a JSON array (from cdk.json) or a comma-separated string (from -c). */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((item) => item.length > 0);
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  return [];
}
