import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

import { parseChunkKey, type MirrorChunk } from './mirror-layout';

/** Name and HTTP status of an error from the S3 client, for mapping it to a message. */
export function describeS3Error(error: unknown): { name: string; httpStatusCode?: number } {
  if (!(error instanceof Error)) return { name: typeof error };
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const status = metadata?.httpStatusCode;
  return typeof status === 'number'
    ? { name: error.name, httpStatusCode: status }
    : { name: error.name };
}

/** List every chunk object under `prefix + folder`, page by page. Other objects are ignored. */
export async function listMirrorChunks(
  client: S3Client,
  bucket: string,
  prefix: string,
  folder: string,
): Promise<MirrorChunk[]> {
  const chunks: MirrorChunk[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix + folder,
        ContinuationToken: continuationToken,
      }),
    );
    for (const item of page.Contents ?? []) {
      const chunk = item.Key === undefined ? undefined : parseChunkKey(prefix, item.Key);
      if (chunk) chunks.push(chunk);
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return chunks;
}

/** List the folders right under `prefix` (the CommonPrefixes of a `/`-delimited listing), page by page. */
export async function listFolders(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const folders: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        ContinuationToken: continuationToken,
      }),
    );
    for (const common of page.CommonPrefixes ?? []) {
      if (common.Prefix !== undefined) folders.push(common.Prefix);
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return folders;
}
