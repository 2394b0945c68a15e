import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PrivateNetwork } from '../constructs/private-network';

export interface NetworkStackProps extends StackProps {
  cidr: string;
  maxAzs: number;
  internetEgress: boolean;
  logsKey: IKey;
  logRetention: RetentionDays;
}

/** The runners' VPC, apart from the lake so that it can be replaced without touching the data. */
export class NetworkStack extends Stack {
  readonly network: PrivateNetwork;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new PrivateNetwork(this, 'Network', props);
  }
}
