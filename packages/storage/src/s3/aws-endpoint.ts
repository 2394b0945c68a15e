import { ConfigError } from '@carelake/core';

/** Hosts an `http://` endpoint may name: test servers on the loopback interface. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Check an AWS endpoint override before a client is built with it, so that every AWS
 * call goes over TLS. `https://` is accepted for any host; `http://` only for
 * 127.0.0.1, localhost and ::1, where test servers such as s3rver listen.
 * @param keyPath configuration key the endpoint came from, named in the error.
 * @throws ConfigError naming `keyPath` for an invalid URL, another scheme or a plain-http remote host.
 */
export function checkAwsEndpoint(endpoint: string, keyPath = 'aws.endpoint'): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new ConfigError(
      `invalid AWS endpoint`,
      [{ keyPath, message: 'is not a URL, such as https://s3.eu-west-1.amazonaws.com' }],
      { cause: error },
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;

  const message =
    url.protocol === 'http:'
      ? `uses plain http:// to ${url.hostname}; AWS calls must use https:// unless the host is 127.0.0.1, localhost or ::1`
      : `uses the scheme ${url.protocol}; expected https://`;
  throw new ConfigError(`AWS endpoint without TLS`, [{ keyPath, message }], {
    hint: `Set ${keyPath} to an https:// URL, or remove it to use the AWS endpoint of the region.`,
  });
}
