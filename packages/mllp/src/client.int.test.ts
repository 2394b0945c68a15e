// Real: MllpClient over TCP on 127.0.0.1 against a real MllpListener or a bare scripted server; real timers. Faked: the scripted server's responses.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ConfigError } from '@carelake/core';
import { buildAck } from './ack-builder';
import { MllpClient } from './client';
import { MllpConnectionError, MllpProtocolError, MllpTimeoutError } from './errors';
import { MllpFrameDecoder } from './frame-decoder';
import { encodeMllpFrame } from './frame-encoder';
import { readHeaderSegment } from './inbound-message';
import type { MllpListener } from './listener';
import { recordingHandler, startTestListener } from './__fixtures__/tcp';
import { withHeaderFields } from './__fixtures__/testdata';

const ADT = 'adt_a04_classic_mcm_01.hl7';

/** Start a TCP server that calls `onFrame` for each frame it decodes, so a test can script the responses. */
async function startScriptedServer(
  onFrame: (socket: Socket, frame: Uint8Array, index: number) => void,
  sockets: Set<Socket>,
): Promise<Server> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new MllpFrameDecoder();
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'frame') onFrame(socket, event.frame.bytes, event.frame.index);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function ackFor(message: Uint8Array, code: 'AA' | 'CA'): Uint8Array {
  const text = buildAck({
    originalHeader: readHeaderSegment(message),
    code,
    controlId: 'S',
    createdAt: new Date(0),
  });
  return encodeMllpFrame(text);
}

describe('MllpClient', () => {
  const servers: Server[] = [];
  const serverSockets = new Set<Socket>();
  const clients: MllpClient[] = [];
  let listener: MllpListener | undefined;

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of serverSockets) socket.destroy();
    for (const server of servers.splice(0)) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await listener?.close();
    listener = undefined;
  });

  async function connectTo(port: number, responseTimeoutMs = 5000): Promise<MllpClient> {
    const client = await MllpClient.connect({ port, responseTimeoutMs });
    clients.push(client);
    return client;
  }

  async function scripted(
    onFrame: (socket: Socket, frame: Uint8Array, index: number) => void,
  ): Promise<number> {
    const server = await startScriptedServer(onFrame, serverSockets);
    servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  it('times out without an ACK', async () => {
    const port = await scripted(() => undefined);
    const client = await connectTo(port, 100);

    const attempt = client.sendMessage(withHeaderFields(ADT, {}));

    await expect(attempt).rejects.toThrow(MllpTimeoutError);
    await expect(attempt).rejects.toThrow('no ACK arrived within 100 ms');
  });

  it('rejects when the receiver closes first', async () => {
    const port = await scripted((socket) => socket.destroy());
    const client = await connectTo(port);

    await expect(client.sendMessage(withHeaderFields(ADT, {}))).rejects.toThrow(
      MllpConnectionError,
    );
  });

  it('rejects a connection refused', async () => {
    const port = await scripted(() => undefined);
    const server = servers.pop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));

    await expect(MllpClient.connect({ port })).rejects.toThrow(
      /cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });

  it('rejects a response that is not an ACK', async () => {
    const port = await scripted((socket) => socket.write(encodeMllpFrame('hello')));
    const client = await connectTo(port);

    await expect(client.sendMessage(withHeaderFields(ADT, {}))).rejects.toThrow(MllpProtocolError);
  });

  it('drops a late ACK to an earlier message', async () => {
    const heldFrames: Uint8Array[] = [];
    const port = await scripted((socket, frame, index) => {
      if (index === 0) {
        heldFrames.push(frame);
        return;
      }
      // The ACK to the first message arrives after it timed out, right before the second's ACK.
      for (const earlier of heldFrames) socket.write(ackFor(earlier, 'AA'));
      socket.write(ackFor(frame, 'AA'));
    });
    const client = await connectTo(port, 100);

    await expect(client.sendMessage(withHeaderFields(ADT, { 10: 'LATE1' }))).rejects.toThrow(
      MllpTimeoutError,
    );
    const response = await client.sendMessage(withHeaderFields(ADT, { 10: 'NEXT2' }));

    expect(response.applicationAck?.acknowledgedControlId).toBe('NEXT2');
    expect(client.staleAckCount).toBe(1);
  });

  it('queues messages sent together', async () => {
    listener = await startTestListener({ handle: recordingHandler().handle });
    const client = await connectTo(listener.address.port);

    const responses = await Promise.all(
      ['Q1', 'Q2', 'Q3'].map((controlId) =>
        client.sendMessage(withHeaderFields(ADT, { 10: controlId })),
      ),
    );

    expect(responses.map((response) => response.applicationAck?.acknowledgedControlId)).toEqual([
      'Q1',
      'Q2',
      'Q3',
    ]);
  });

  it('resolves at once when NE asks for no ACK', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const client = await connectTo(listener.address.port, 60000);

    const response = await client.sendMessage(withHeaderFields(ADT, { 15: 'NE', 16: 'NE' }));

    expect(response).toEqual({ commitAck: undefined, applicationAck: undefined });
  });

  it('resolves with CA alone when ER sends no application ACK', async () => {
    listener = await startTestListener({ handle: recordingHandler().handle });
    const client = await connectTo(listener.address.port, 150);
    const started = Date.now();

    const response = await client.sendMessage(withHeaderFields(ADT, { 15: 'AL', 16: 'ER' }));

    expect(response.commitAck?.code).toBe('CA');
    expect(response.applicationAck).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('invalid options list every problem', async () => {
    const attempt = MllpClient.connect({ port: 0, responseTimeoutMs: -1 });

    await expect(attempt).rejects.toThrow(ConfigError);
    const error = (await attempt.catch((caught: unknown) => caught)) as ConfigError;
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['port', 'responseTimeoutMs']);
  });
});
