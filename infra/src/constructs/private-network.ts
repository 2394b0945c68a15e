import { RemovalPolicy } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PrivateNetworkProps {
  cidr: string;
  maxAzs: number;
  /** Give the private subnets a NAT gateway, for runners that fetch from partners' SFTP servers. */
  internetEgress: boolean;
  logsKey: IKey;
  logRetention: RetentionDays;
}

/**
 * The VPC of the runners: private subnets, VPC endpoints for S3, Glue, Kinesis, Athena, KMS and
 * Lake Formation so that calls carrying health data stay on the AWS network, and flow logs.
 * There is no route to the internet unless a pipeline reads a partner's SFTP server.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: Vpc;
  readonly runnerSubnets: SubnetSelection;
  /** Security group of the runner functions: no inbound rules, outbound HTTPS and SFTP. */
  readonly runnerSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const privateType = props.internetEgress ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(props.cidr),
      maxAzs: props.maxAzs,
      natGateways: props.internetEgress ? 1 : 0,
      subnetConfiguration: [
        { name: 'runners', subnetType: privateType, cidrMask: 22 },
        ...(props.internetEgress ? [{ name: 'egress', subnetType: SubnetType.PUBLIC, cidrMask: 26 }] : []),
      ],
      restrictDefaultSecurityGroup: false,
    });
    this.runnerSubnets = { subnetType: privateType };

    const flowLogs = new LogGroup(this, 'FlowLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(flowLogs) });

    this.runnerSecurityGroup = new SecurityGroup(this, 'Runners', {
      vpc: this.vpc,
      description: 'carelake runner functions',
      allowAllOutbound: false,
    });
    this.runnerSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to AWS endpoints');
    if (props.internetEgress) this.runnerSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(22), 'SFTP to partner servers');

    this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3, subnets: [this.runnerSubnets] });
    const endpointSecurityGroup = new SecurityGroup(this, 'Endpoints', {
      vpc: this.vpc,
      description: 'carelake interface endpoints: HTTPS from the runners only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(this.runnerSecurityGroup, Port.tcp(443), 'HTTPS from the runners');
    const services: Array<[string, InterfaceVpcEndpointAwsService]> = [
      ['Glue', InterfaceVpcEndpointAwsService.GLUE],
      ['Kinesis', InterfaceVpcEndpointAwsService.KINESIS_STREAMS],
      ['Athena', InterfaceVpcEndpointAwsService.ATHENA],
      ['Kms', InterfaceVpcEndpointAwsService.KMS],
      ['LakeFormation', InterfaceVpcEndpointAwsService.LAKE_FORMATION],
    ];
    for (const [name, service] of services) {
      // open: false, because the endpoints take HTTPS from the runners' security group only, not the whole VPC.
      this.vpc.addInterfaceEndpoint(name, { service, subnets: this.runnerSubnets, securityGroups: [endpointSecurityGroup], privateDnsEnabled: true, open: false });
    }
  }
}
