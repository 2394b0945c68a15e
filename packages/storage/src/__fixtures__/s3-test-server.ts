import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

import { makeTempFolder, removeTempFolder } from './temp-folder';

export interface S3TestServer {
  client: S3Client;
  bucket: string;
  stop(): Promise<void>;
}

/** Start s3rver on 127.0.0.1 (a free port) with one empty bucket in a new temporary folder. */
export async function startS3TestServer(): Promise<S3TestServer> {
  const folder = await makeTempFolder('s3rver');
  const bucket = 'carelake-test';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: folder,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // Default checksums send aws-chunked bodies, which s3rver 3.7 stores with their framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    client,
    bucket,
    async stop() {
      client.destroy();
      await server.close();
      await removeTempFolder(folder);
    },
  };
}
