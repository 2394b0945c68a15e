import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface AthenaWorkgroupProps {
  resultsBucket: IBucket;
  resultsKey: IKey;
  /** Athena cancels a query of the workgroup once it has scanned this many bytes. */
  bytesScannedCutoffPerQuery: number;
}

/**
 * Create the Athena workgroup analysts and SQL transforms run in. Its settings override the
 * client's, so every result is written SSE-KMS to the results bucket whatever the caller asks.
 */
export function createAthenaWorkgroup(scope: Construct, id: string, props: AthenaWorkgroupProps): CfnWorkGroup {
  return new CfnWorkGroup(scope, id, {
    name: 'carelake',
    description: 'carelake queries and SQL transforms; results encrypted with the lake key.',
    state: 'ENABLED',
    recursiveDeleteOption: false,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: props.resultsBucket.s3UrlForObject('results/'),
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
      },
    },
  });
}
