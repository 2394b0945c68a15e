import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { parseTableName } from '@carelake/core';
import { pipelineAuditMirrorPrefix } from '@carelake/pipeline';
import { pipelineWritePrefixes, sharedReadPrefixes } from '../lake-prefixes';

/**
 * Actions that accept only `"Resource": "*"`, with the reason a runner needs each. These are the
 * only statements of a runner's policy whose resource is a bare wildcard.
 */
export const STAR_ONLY_ACTIONS: Readonly<Record<string, string>> = {
  'lakeformation:GetDataAccess': 'Lake Formation vends temporary credentials for registered locations; the action has no resource type.',
  'ec2:CreateNetworkInterface': 'Lambda creates the network interfaces of a function in a VPC; the action is not scoped to a resource here.',
  'ec2:DescribeNetworkInterfaces': 'Describe actions of EC2 have no resource type.',
  'ec2:DeleteNetworkInterface': 'Lambda removes the network interfaces it created when the function scales in.',
  'ec2:AssignPrivateIpAddresses': 'Lambda assigns addresses to the interfaces it manages.',
  'ec2:UnassignPrivateIpAddresses': 'Lambda releases addresses of the interfaces it manages.',
};

export interface RunnerPolicyProps {
  pipeline: { name: string; outputs: string[] };
  lakeBucket: IBucket;
  lakePrefix: string;
  lakeKey: IKey;
  auditBucket: IBucket;
}

/**
 * Build the statements of a runner's policy: S3 objects under the pipeline's own prefixes only
 * (its lake prefixes and its prefix of the audit bucket), the lake key, the Glue database and tables it writes, and the actions of STAR_ONLY_ACTIONS.
 */
export function runnerPolicyStatements(scope: Construct, props: RunnerPolicyProps): PolicyStatement[] {
  const { partition, region, account } = Stack.of(scope);
  const writePrefixes = pipelineWritePrefixes(props.lakePrefix, props.pipeline);
  const readPrefixes = sharedReadPrefixes(props.lakePrefix);
  const auditPrefix = pipelineAuditMirrorPrefix(props.lakePrefix, props.pipeline.name);
  const glueArn = (resource: string): string => `arn:${partition}:glue:${region}:${account}:${resource}`;
  const tables = props.pipeline.outputs.flatMap((output) => [output, `${output}_current`]).map(parseTableName);
  const databases = [...new Set(tables.map((table) => table.database))];

  return [
    new PolicyStatement({
      sid: 'WriteOwnPrefixes',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: writePrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`)),
    }),
    new PolicyStatement({
      sid: 'ReadSharedPrefixes',
      actions: ['s3:GetObject'],
      resources: readPrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`)),
    }),
    new PolicyStatement({
      sid: 'ListOwnPrefixes',
      actions: ['s3:ListBucket'],
      resources: [props.lakeBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [...writePrefixes, ...readPrefixes].map((prefix) => `${prefix}*`) } },
    }),
    // The audit mirror lists its prefix to find what is copied, then puts chunks that set an Object
    // Lock retention date, which needs s3:PutObjectRetention besides s3:PutObject. It reads nothing back.
    // NOTE: not yet tried against AWS; the mirror's AccessDenied hint names both actions.
    new PolicyStatement({
      sid: 'ListOwnAuditPrefix',
      actions: ['s3:ListBucket'],
      resources: [props.auditBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${auditPrefix}*`] } },
    }),
    new PolicyStatement({
      sid: 'MirrorAuditChain',
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resources: [props.auditBucket.arnForObjects(`${auditPrefix}*`)],
    }),
    new PolicyStatement({
      sid: 'UseLakeKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [props.lakeKey.keyArn],
    }),
    new PolicyStatement({
      sid: 'WriteOwnTables',
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:BatchGetPartition',
        'glue:UpdatePartition',
        'glue:BatchUpdatePartition',
      ],
      resources: [
        glueArn('catalog'),
        ...databases.map((database) => glueArn(`database/${database}`)),
        ...tables.map((table) => glueArn(`table/${table.database}/${table.table}`)),
      ],
    }),
    new PolicyStatement({ sid: 'StarOnlyActions', actions: Object.keys(STAR_ONLY_ACTIONS), resources: ['*'] }),
  ];
}
