import { LakeFormationClient } from '@aws-sdk/client-lakeformation';

/**
 * Create a Lake Formation client for a region, reached at the region's own HTTPS endpoint:
 * `aws.endpoint` of carelake.yaml names an S3 endpoint, so it is never given to Lake Formation.
 * The caller owns the client and destroys it.
 */
export function createLakeFormationClient(region: string): LakeFormationClient {
  return new LakeFormationClient({ region });
}
