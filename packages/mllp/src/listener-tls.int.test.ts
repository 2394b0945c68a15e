// Real: an MllpListener and MllpClient over TLS on 127.0.0.1 with a free port, certificates made
// by the openssl command in a temp folder, a message from the shared HL7 v2 test set, a pino logger
// writing to memory. Faked: the clock and the ACK control ids; the handler replaces landing.
import { chmodSync, readFileSync } from 'node:fs';
import { ConfigError } from '@carelake/core';
import { MllpClient } from './client';
import { MllpConnectionError } from './errors';
import type { MllpListener } from './listener';
import {
  memoryLogger,
  RawPeer,
  recordingHandler,
  sleep,
  startTestListener,
  waitFor,
} from './__fixtures__/tcp';
import { generateTestCertificates, type TestCertificates } from './__fixtures__/test-certificates';
import { readHl7Fixture, withHeaderFields } from './__fixtures__/testdata';
import { listenerTlsFromFiles } from './tls-files';
import type { MllpClientTlsOptions, MllpListenerTlsOptions } from './tls-options';

const ADT = 'adt_a04_classic_mcm_01.hl7';

describe('MllpListener over TLS', () => {
  let certificates: TestCertificates;
  let listener: MllpListener | undefined;
  const clients: MllpClient[] = [];

  beforeAll(() => {
    certificates = generateTestCertificates();
  });

  afterAll(() => {
    certificates.remove();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await listener?.close();
    listener = undefined;
  });

  function serverTls(extra: Partial<MllpListenerTlsOptions> = {}): MllpListenerTlsOptions {
    return { cert: certificates.serverCert, key: certificates.serverKey, ...extra };
  }

  async function startTls(extra: Partial<MllpListenerTlsOptions> = {}) {
    const recorder = recordingHandler();
    const memory = memoryLogger();
    listener = await startTestListener({
      handle: recorder.handle,
      tls: serverTls(extra),
      logger: memory.logger,
    });
    return { recorder, memory, port: listener.address.port };
  }

  async function connect(port: number, tls: MllpClientTlsOptions): Promise<MllpClient> {
    const client = await MllpClient.connect({ port, responseTimeoutMs: 5000, tls });
    clients.push(client);
    return client;
  }

  it('acknowledges a client that trusts the CA', async () => {
    const { recorder, port } = await startTls();
    const client = await connect(port, { ca: certificates.caCert });

    const response = await client.sendMessage(withHeaderFields(ADT, { 10: 'TLS0001' }));

    expect(response.applicationAck?.code).toBe('AA');
    expect(response.applicationAck?.acknowledgedControlId).toBe('TLS0001');
    expect(recorder.received).toHaveLength(1);
  });

  it('accepts PEM buffers', async () => {
    const { port } = await startTls({
      cert: readFileSync(certificates.serverCert),
      key: readFileSync(certificates.serverKey),
    });
    const client = await connect(port, { ca: readFileSync(certificates.caCert) });

    expect((await client.sendMessage(readHl7Fixture(ADT))).applicationAck?.code).toBe('AA');
  });

  it.each([
    { case: 'file reference', key: () => 'file:server.key', env: () => ({}) },
    {
      case: 'env reference',
      key: () => 'env:MLLP_TLS_KEY',
      env: () => ({ MLLP_TLS_KEY: readFileSync(certificates.serverKey, 'utf8') }),
    },
  ])('starts from pipeline files with $case', async ({ key, env }) => {
    chmodSync(certificates.serverKey, 0o600);
    const tls = listenerTlsFromFiles(
      { cert: 'server.crt', key: key(), ca: 'ca.crt', requestClientCert: true },
      certificates.folder,
      env(),
    );
    listener = await startTestListener({ handle: recordingHandler().handle, tls });

    const client = await connect(listener.address.port, {
      ca: certificates.caCert,
      cert: certificates.clientCert,
      key: certificates.clientKey,
    });

    expect((await client.sendMessage(readHl7Fixture(ADT))).applicationAck?.code).toBe('AA');
  });

  it('rejects listener of an unknown CA', async () => {
    const { recorder, port } = await startTls();

    const failure = MllpClient.connect({
      port,
      responseTimeoutMs: 5000,
      tls: { ca: certificates.otherCaCert },
    });

    await expect(failure).rejects.toBeInstanceOf(MllpConnectionError);
    await expect(failure).rejects.toThrow(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/,
    );
    expect(recorder.received).toHaveLength(0);
  });

  it('rejects a name the certificate lacks', async () => {
    const { port } = await startTls();

    const failure = MllpClient.connect({
      port,
      responseTimeoutMs: 5000,
      tls: { ca: certificates.caCert, servername: 'mllp.example.org' },
    });

    await expect(failure).rejects.toThrow('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('keeps serving after a plain-TCP peer', async () => {
    const { recorder, memory, port } = await startTls();
    const peer = await RawPeer.connect(port);
    peer.send(Buffer.concat([Buffer.from([0x0b]), readHl7Fixture(ADT), Buffer.from([0x1c, 0x0d])]));
    await sleep(200);

    expect(peer.frames).toHaveLength(0);
    expect(recorder.received).toHaveLength(0);
    peer.destroy();

    const client = await connect(port, { ca: certificates.caCert });
    expect(
      (await client.sendMessage(withHeaderFields(ADT, { 10: 'TLS0002' }))).applicationAck?.code,
    ).toBe('AA');
    expect(memory.lines.some((line) => line.includes('MLLP TLS handshake failed'))).toBe(true);
    // The plain peer's bytes are a message; no part of it may reach the log.
    expect(memory.lines.join('\n')).not.toContain('ADT^A04');
  });

  it('drops a silent peer mid-handshake', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({
      handle: recorder.handle,
      tls: serverTls(),
      idleTimeoutMs: 300,
    });
    const peer = await RawPeer.connect(listener.address.port);

    await waitFor(() => peer.ended, 'the silent peer to be dropped');
    const closing = Date.now();
    await listener.close();
    listener = undefined;

    expect(Date.now() - closing).toBeLessThan(1000);
    expect(recorder.received).toHaveLength(0);
    peer.destroy();
  });

  it.each([
    { case: 'with a client certificate', clientCert: true, accepted: true },
    { case: 'without a client certificate', clientCert: false, accepted: false },
  ])('requests client certificate: $case', async ({ clientCert, accepted }) => {
    const { recorder, port } = await startTls({ requestClientCert: true, ca: certificates.caCert });
    const tls: MllpClientTlsOptions = clientCert
      ? { ca: certificates.caCert, cert: certificates.clientCert, key: certificates.clientKey }
      : { ca: certificates.caCert };

    // TLS 1.3 finishes the client's handshake before the server checks its certificate,
    // so a rejected client may connect and then see the connection fail.
    const attempt = (async () => {
      const client = await connect(port, tls);
      return (await client.sendMessage(withHeaderFields(ADT, { 10: 'TLS0003' }))).applicationAck
        ?.code;
    })();

    if (accepted) {
      await expect(attempt).resolves.toBe('AA');
      expect(recorder.received).toHaveLength(1);
    } else {
      await expect(attempt).rejects.toBeInstanceOf(MllpConnectionError);
      expect(recorder.received).toHaveLength(0);
    }
  });

  it.each([
    {
      case: 'missing key file',
      tls: () => ({ cert: certificates.serverCert, key: `${certificates.folder}/absent.key` }),
      issue: () => ({
        keyPath: 'tls.key',
        message: `cannot read PEM file ${certificates.folder}/absent.key: ENOENT`,
      }),
    },
    {
      case: 'client certificates without a CA',
      tls: () => serverTls({ requestClientCert: true }),
      issue: () => ({
        keyPath: 'tls.ca',
        message: 'is required with requestClientCert, to verify client certificates',
      }),
    },
  ])('rejects listener option: $case', async ({ tls, issue }) => {
    const failure = startTestListener({ handle: recordingHandler().handle, tls: tls() });

    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({ issues: [issue()] });
  });
});
