import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnServer } from 'aws-cdk-lib/aws-transfer';
import { Construct } from 'constructs';

export interface SftpServerProps {
  logsKey: IKey;
  logRetention: RetentionDays;
}

/**
 * An AWS Transfer Family SFTP server for partners who push files instead of serving them. It logs
 * every session to an encrypted log group. NOTE: partner users (their home folders under
 * landing/ and their SSH keys) are not created here; add them with the Transfer Family console or CLI.
 */
export class SftpServer extends Construct {
  readonly server: CfnServer;

  constructor(scope: Construct, id: string, props: SftpServerProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { encryptionKey: props.logsKey, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const loggingRole = new Role(this, 'LoggingRole', { assumedBy: new ServicePrincipal('transfer.amazonaws.com') });
    loggingRole.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup.logGroupArn] }),
    );
    this.server = new CfnServer(this, 'Server', {
      protocols: ['SFTP'],
      identityProviderType: 'SERVICE_MANAGED',
      endpointType: 'PUBLIC',
      domain: 'S3',
      securityPolicyName: 'TransferSecurityPolicy-2024-01',
      loggingRole: loggingRole.roleArn,
      structuredLogDestinations: [logGroup.logGroupArn],
    });
  }
}
