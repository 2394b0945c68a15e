// Real: known_hosts parsing and matching on lines written and hashed by ssh-keygen -H (OpenSSH 9.2). Faked: nothing.
import { entryMatchesHost, findHostKeys, knownHostsName, parseKnownHosts } from './known-hosts';
import {
  ED25519_PUBLIC as ED25519,
  HASHED_KNOWN_HOSTS as HASHED,
  RSA_PUBLIC as RSA,
} from './__fixtures__/keys';

describe('knownHostsName', () => {
  it.each([
    { case: 'port 22', host: 'SFTP.Example.org', port: 22, expected: 'sftp.example.org' },
    { case: 'other port', host: '127.0.0.1', port: 2222, expected: '[127.0.0.1]:2222' },
  ])('formats $case', ({ host, port, expected }) => {
    expect(knownHostsName(host, port)).toBe(expected);
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, commented and marked lines', () => {
    const text = [
      '# partner servers',
      '',
      `sftp.example.org,10.0.0.5 ssh-ed25519 ${ED25519} partner`,
      `@revoked * ssh-rsa ${RSA}`,
      `@cert-authority *.example.org ssh-ed25519 ${ED25519}`,
    ].join('\n');

    const parsed = parseKnownHosts(text);

    expect(parsed.entries.map((entry) => [entry.line, entry.keyType, entry.revoked])).toEqual([
      [3, 'ssh-ed25519', false],
      [4, 'ssh-rsa', true],
    ]);
    expect(parsed.entries[0]?.hosts).toEqual({
      kind: 'patterns',
      patterns: ['sftp.example.org', '10.0.0.5'],
    });
    expect(parsed.skipped).toEqual([
      { line: 5, reason: expect.stringContaining('@cert-authority') },
    ]);
  });

  it.each([
    { case: 'missing key', line: 'host ssh-ed25519', reason: 'expected a host list' },
    { case: 'bad base64', line: 'host ssh-ed25519 not*base64', reason: 'not valid base64' },
    {
      case: 'type mismatch',
      line: `host ssh-rsa ${ED25519}`,
      reason: 'the key itself is ssh-ed25519',
    },
    {
      case: 'short hash',
      line: `|1|c2FsdA==|aGFzaA== ssh-ed25519 ${ED25519}`,
      reason: '20-byte salt',
    },
    {
      case: 'unknown marker',
      line: `@trusted host ssh-ed25519 ${ED25519}`,
      reason: 'unknown marker @trusted',
    },
  ])('skips a line with $case', ({ line, reason }) => {
    const parsed = parseKnownHosts(line);

    expect(parsed.entries).toEqual([]);
    expect(parsed.skipped).toEqual([{ line: 1, reason: expect.stringContaining(reason) }]);
  });
});

describe('entryMatchesHost', () => {
  const hashed = parseKnownHosts(HASHED).entries;

  it.each([
    { case: 'hashed host and port', index: 0, host: '127.0.0.1', port: 2222, expected: true },
    { case: 'hashed host on another port', index: 0, host: '127.0.0.1', port: 22, expected: false },
    {
      case: 'first hashed name of a list',
      index: 1,
      host: 'example.org',
      port: 22,
      expected: true,
    },
    { case: 'second hashed name of a list', index: 2, host: '10.0.0.5', port: 22, expected: true },
    { case: 'hashed name in upper case', index: 1, host: 'EXAMPLE.org', port: 22, expected: true },
    { case: 'other hashed host', index: 1, host: 'example.com', port: 22, expected: false },
  ])('$case is $expected', ({ index, host, port, expected }) => {
    const entry = hashed[index];
    if (!entry) throw new Error(`no entry ${index}`);
    expect(entryMatchesHost(entry, host, port)).toBe(expected);
  });

  it.each([
    {
      case: 'plain name',
      hosts: 'sftp.example.org',
      host: 'sftp.example.org',
      port: 22,
      expected: true,
    },
    {
      case: 'bracketed port',
      hosts: '[sftp.example.org]:2222',
      host: 'sftp.example.org',
      port: 2222,
      expected: true,
    },
    {
      case: 'plain name on another port',
      hosts: 'sftp.example.org',
      host: 'sftp.example.org',
      port: 2222,
      expected: false,
    },
    {
      case: 'comma list',
      hosts: 'a.example.org,b.example.org',
      host: 'b.example.org',
      port: 22,
      expected: true,
    },
    {
      case: 'star wildcard',
      hosts: '*.example.org',
      host: 'sftp.example.org',
      port: 22,
      expected: true,
    },
    {
      case: 'question mark',
      hosts: 'sftp?.example.org',
      host: 'sftp2.example.org',
      port: 22,
      expected: true,
    },
    {
      case: 'negation',
      hosts: '*.example.org,!evil.example.org',
      host: 'evil.example.org',
      port: 22,
      expected: false,
    },
    {
      case: 'dot is literal',
      hosts: 'sftp.example.org',
      host: 'sftpxexample.org',
      port: 22,
      expected: false,
    },
  ])('$case is $expected', ({ hosts, host, port, expected }) => {
    const entry = parseKnownHosts(`${hosts} ssh-ed25519 ${ED25519}`).entries[0];
    if (!entry) throw new Error('line not parsed');
    expect(entryMatchesHost(entry, host, port)).toBe(expected);
  });
});

describe('findHostKeys', () => {
  it('applies revoked keys to every host', () => {
    const parsed = parseKnownHosts(
      `@revoked old.example.org ssh-rsa ${RSA}\nsftp.example.org ssh-ed25519 ${ED25519}`,
    );

    const found = findHostKeys(parsed, 'sftp.example.org', 22);

    expect(found.accepted.map((entry) => entry.line)).toEqual([2]);
    expect(found.revoked.map((entry) => entry.line)).toEqual([1]);
  });
});
