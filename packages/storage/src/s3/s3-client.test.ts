// Real S3Client construction and URL parsing; no request is sent.
import { ConfigError } from '@carelake/core';

import { checkAwsEndpoint } from './aws-endpoint';
import { createS3Client } from './s3-client';

describe('checkAwsEndpoint', () => {
  it.each([
    { case: 'https remote', endpoint: 'https://s3.eu-west-1.amazonaws.com' },
    {
      case: 'https VPC endpoint',
      endpoint: 'https://bucket.vpce-0a1b.s3.eu-west-1.vpce.amazonaws.com',
    },
    { case: 'http 127.0.0.1', endpoint: 'http://127.0.0.1:4568' },
    { case: 'http localhost', endpoint: 'http://localhost:9000' },
    { case: 'http ::1', endpoint: 'http://[::1]:9000' },
  ])('accepts $case', ({ endpoint }) => {
    expect(checkAwsEndpoint(endpoint).href).toBe(new URL(endpoint).href);
  });

  it.each([
    {
      case: 'http remote',
      endpoint: 'http://s3.eu-west-1.amazonaws.com',
      expected:
        'uses plain http:// to s3.eu-west-1.amazonaws.com; AWS calls must use https:// unless the host is 127.0.0.1, localhost or ::1',
    },
    {
      case: 'http private address',
      endpoint: 'http://10.0.0.5:9000',
      expected:
        'uses plain http:// to 10.0.0.5; AWS calls must use https:// unless the host is 127.0.0.1, localhost or ::1',
    },
    {
      case: 'http loopback look-alike',
      endpoint: 'http://localhost.example.com',
      expected:
        'uses plain http:// to localhost.example.com; AWS calls must use https:// unless the host is 127.0.0.1, localhost or ::1',
    },
    {
      case: 'ftp scheme',
      endpoint: 'ftp://127.0.0.1',
      expected: 'uses the scheme ftp:; expected https://',
    },
    {
      case: 'not a URL',
      endpoint: 's3.eu-west-1.amazonaws.com',
      expected: 'is not a URL, such as https://s3.eu-west-1.amazonaws.com',
    },
  ])('rejects $case naming aws.endpoint', ({ endpoint, expected }) => {
    let thrown: unknown;
    try {
      checkAwsEndpoint(endpoint);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues).toEqual([
      { keyPath: 'aws.endpoint', message: expected },
    ]);
  });

  it('names the key path given', () => {
    expect(() => checkAwsEndpoint('http://athena.example.com', 'athena.endpoint')).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ keyPath: 'athena.endpoint' })],
      }),
    );
  });
});

describe('createS3Client', () => {
  it('rejects plain-http remote endpoint', () => {
    expect(() =>
      createS3Client({ region: 'eu-west-1', endpoint: 'http://s3.eu-west-1.amazonaws.com' }),
    ).toThrow(ConfigError);
  });

  it('keeps loopback endpoint and region', async () => {
    const client = createS3Client({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
    });
    try {
      expect(await client.config.region()).toBe('eu-west-1');
      expect(client.config.forcePathStyle).toBe(true);
      const endpoint = await client.config.endpoint?.();
      expect(endpoint).toMatchObject({ protocol: 'http:', hostname: '127.0.0.1', port: 4568 });
    } finally {
      client.destroy();
    }
  });
});
