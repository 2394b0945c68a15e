import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed KMS keys of the deployment, one per kind of data so that a key policy or a
 * grant can be narrowed to it. Each rotates yearly and outlives the stack, because data encrypted
 * under a deleted key is lost.
 */
export class LakeKeys extends Construct {
  /** Encrypts the lake, audit and query result buckets and the Athena results. */
  readonly lake: Key;
  /** Encrypts the Kinesis streams and the runners' dead-letter queues. */
  readonly stream: Key;
  /** Encrypts the CloudWatch Logs log groups of the runners and the VPC flow logs. */
  readonly logs: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string, description: string): Key =>
      new Key(this, name, { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    this.lake = key('Lake', 'carelake: lake, audit and query result buckets');
    this.stream = key('Stream', 'carelake: Kinesis streams and dead-letter queues');
    this.logs = key('Logs', 'carelake: CloudWatch Logs of the runners and VPC flow logs');

    // CloudWatch Logs encrypts with the key itself, as a service principal limited to this Region's log groups.
    const { region, account, partition } = Stack.of(this);
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
      }),
    );
  }
}
