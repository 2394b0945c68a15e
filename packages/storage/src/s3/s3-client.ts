import { S3Client } from '@aws-sdk/client-s3';

import { checkAwsEndpoint } from './aws-endpoint';

/** The `aws:` settings of `carelake.yaml` that an S3 client needs. */
export interface S3ClientSettings {
  region: string;
  /** Endpoint override, such as a VPC endpoint; https:// unless it is on the loopback interface. */
  endpoint?: string;
  forcePathStyle?: boolean;
}

/**
 * Create an S3 client from the `aws:` settings, with the default credential chain.
 * @throws ConfigError naming `aws.endpoint` when the endpoint would send requests without TLS.
 */
export function createS3Client(settings: S3ClientSettings): S3Client {
  if (settings.endpoint !== undefined) checkAwsEndpoint(settings.endpoint);
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    forcePathStyle: settings.forcePathStyle ?? false,
  });
}
