import { Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { CarelakeStacks } from './carelake-app';
import { STAR_ONLY_ACTIONS } from './constructs/runner-policy';

/**
 * The reviewed list of cdk-nag findings (HIPAA Security and AwsSolutions packs) that the deployment
 * accepts, each with its reason. Any other finding fails the infra tests, so a change that adds one
 * either fixes it or adds a line here for review.
 */
export const NAG_ACKNOWLEDGEMENTS: ReadonlyArray<{ id: string; scope: (stacks: CarelakeStacks) => IConstruct[]; reason: string }> = [
  {
    id: 'HIPAA.Security-S3BucketReplicationEnabled',
    scope: (stacks) => [stacks.lake],
    reason:
      'Cross-Region replication needs a bucket and key in a second Region, which is a per-deployment decision; versioning, Object Lock on the audit bucket and buckets kept on stack deletion protect the data meanwhile.',
  },
  {
    id: 'HIPAA.Security-S3DefaultEncryptionKMS',
    scope: (stacks) => [stacks.lake.node.findChild('AccessLogs')],
    reason: 'S3 delivers server access logs only to buckets with SSE-S3 default encryption; the logs hold request metadata, no object contents.',
  },
  {
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    scope: (stacks) => [stacks.lake, stacks.network, stacks.runners],
    reason: 'Each inline policy belongs to exactly one role and is scoped to that role’s pipeline, key or location; a managed policy would invite sharing it between roles.',
  },
  {
    id: 'HIPAA.Security-VPCDefaultSecurityGroupClosed',
    scope: (stacks) => [stacks.network],
    reason: 'No resource uses the default security group; closing its rules needs a custom-resource Lambda function outside the VPC, which would bring findings of its own.',
  },
  {
    id: 'AwsSolutions-L1',
    scope: (stacks) => [stacks.runners],
    reason: 'The runtime is the Node.js major version that the bundled native modules (better-sqlite3) were built for on the bundling machine; see decision 0010.',
  },
  {
    id: 'CloudFormation-Validate::W2531',
    scope: (stacks) => [stacks.runners],
    reason: 'Same cause as AwsSolutions-L1: the runtime follows the Node.js version the native modules were built with; moving it means rebuilding them on that version.',
  },
];

/**
 * Wildcard resources that runner and service roles may hold, by the shape of the flattened ARN that
 * cdk-nag reports: object keys under one prefix, never a whole service.
 */
const WILDCARD_RESOURCES: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /^(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/([a-z0-9_-]+\/)*\*$/,
    reason: 'Object keys under one lake prefix: S3 names objects by key, so a prefix needs a trailing wildcard. The prefix is the pipeline’s own folder or table, or the registered lake location.',
  },
];

/** Acknowledge the reviewed findings on the stacks of an app. */
export function acknowledgeNagFindings(stacks: CarelakeStacks): void {
  for (const acknowledgement of NAG_ACKNOWLEDGEMENTS) {
    for (const scope of acknowledgement.scope(stacks)) Validations.of(scope).acknowledge({ id: acknowledgement.id, reason: acknowledgement.reason });
  }
  for (const stack of [stacks.lake, stacks.network, stacks.runners]) {
    for (const node of stack.node.findAll()) {
      if (node instanceof CfnPolicy) acknowledgeWildcards(node);
    }
  }
}

/**
 * Acknowledge the AwsSolutions-IAM5 findings of a policy that match WILDCARD_RESOURCES, and the
 * `Resource::*` finding when every statement with a bare `*` lists only STAR_ONLY_ACTIONS.
 */
function acknowledgeWildcards(policy: CfnPolicy): void {
  const document = Stack.of(policy).resolve(policy.policyDocument) as { Statement?: Array<{ Action: string | string[]; Resource: unknown }> };
  let starOnly = true;
  let starActions: string[] = [];
  for (const statement of document.Statement ?? []) {
    const actions = ([] as string[]).concat(statement.Action);
    const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((resource) => flattenCfnReference(resource));
    for (const resource of resources) {
      if (resource === '*') {
        starOnly &&= actions.every((action) => action in STAR_ONLY_ACTIONS);
        starActions = [...starActions, ...actions];
        continue;
      }
      const match = WILDCARD_RESOURCES.find((candidate) => candidate.pattern.test(resource));
      if (match && resource.includes('*')) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason: match.reason });
    }
  }
  // cdk-nag reports one Resource::* finding per policy, so it is acknowledged only when no statement of the policy holds another action on "*".
  if (starActions.length > 0 && starOnly) {
    const reasons = [...new Set(starActions)].map((action) => `${action}: ${STAR_ONLY_ACTIONS[action] ?? ''}`).join(' ');
    Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: `Actions that accept only "*". ${reasons}` });
  }
}
