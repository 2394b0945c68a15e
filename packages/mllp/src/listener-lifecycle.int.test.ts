// Real: an MllpListener over TCP on 127.0.0.1 with a free port and bare sockets as peers; real timers. Faked: the clock and the ACK control ids; the handler replaces landing.
import { ConfigError } from '@carelake/core';
import { connect } from 'node:net';
import { encodeMllpFrame } from './frame-encoder';
import type { HandleResult } from './handler';
import { MllpListener } from './listener';
import {
  deferred,
  RawPeer,
  recordingHandler,
  sleep,
  startTestListener,
  waitFor,
} from './__fixtures__/tcp';
import { readHl7Fixture } from './__fixtures__/testdata';

const ADT = readHl7Fixture('adt_a04_classic_mcm_01.hl7');

describe('MllpListener lifecycle', () => {
  let listener: MllpListener | undefined;
  const peers: RawPeer[] = [];

  function requireListener(): MllpListener {
    if (listener === undefined) throw new Error('start the listener first');
    return listener;
  }

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await listener?.close();
    listener = undefined;
  });

  async function connectPeer(): Promise<RawPeer> {
    const peer = await RawPeer.connect(requireListener().address.port);
    peers.push(peer);
    return peer;
  }

  it('idle timeout closes the socket', async () => {
    listener = await startTestListener({ handle: recordingHandler().handle, idleTimeoutMs: 100 });
    const peer = await connectPeer();
    await waitFor(() => requireListener().connectionCount === 1, 'the connection to register');

    await peer.waitForClose();

    expect(peer.ended).toBe(true);
    await waitFor(() => requireListener().connectionCount === 0, 'the connection to be released');
  });

  it('idle timeout waits for a slow handler', async () => {
    listener = await startTestListener({
      handle: async () => {
        await sleep(300);
        return { applicationAck: 'AA' };
      },
      idleTimeoutMs: 100,
    });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(ADT));
    const [ack] = await peer.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AA');
    await peer.waitForClose();
  });

  it('half-open connection gets its ACKs before closing', async () => {
    const stored = deferred<HandleResult>();
    const recorder = recordingHandler();
    listener = await startTestListener({
      handle: async (message) => {
        await recorder.handle(message);
        return stored.promise;
      },
    });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(ADT));
    peer.socket.end();
    await waitFor(() => recorder.received.length === 1, 'the handler call');
    await sleep(50);
    expect(peer.ended).toBe(false);
    stored.resolve({ applicationAck: 'AA' });
    const [ack] = await peer.waitForFrames(1);
    await peer.waitForClose();

    expect(ack?.get('MSA-1')).toBe('AA');
    expect(peer.framesAtEnd).toBe(1);
    expect(recorder.received).toHaveLength(1);
  });

  it('half-open connection with a partial frame closes', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(ADT).subarray(0, 50));
    peer.socket.end();
    await peer.waitForClose();

    expect(peer.receivedBytes).toBe(0);
    expect(recorder.received).toHaveLength(0);
  });

  it('close waits for in-flight work', async () => {
    const stored = deferred<HandleResult>();
    const recorder = recordingHandler();
    listener = await startTestListener({
      handle: async (message) => {
        await recorder.handle(message);
        return stored.promise;
      },
    });
    const port = listener.address.port;
    const peer = await connectPeer();
    peer.send(encodeMllpFrame(ADT));
    await waitFor(() => recorder.received.length === 1, 'the handler call');

    let closed = false;
    const closing = listener.close().then(() => {
      closed = true;
    });
    await sleep(100);
    expect(closed).toBe(false);
    const connectResult = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
    });
    stored.resolve({ applicationAck: 'AA' });
    await closing;

    await peer.waitForClose();

    expect(connectResult).toBe('ECONNREFUSED');
    expect(peer.framesAtEnd).toBe(1);
    expect(recorder.received).toHaveLength(1);
  });

  it('connection limit refuses extra connections', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle, maxConnections: 1 });
    const first = await connectPeer();
    await waitFor(() => requireListener().connectionCount === 1, 'the first connection');

    const second = await connectPeer();
    await second.waitForClose();
    first.send(encodeMllpFrame(ADT));
    const [ack] = await first.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AA');
    expect(second.receivedBytes).toBe(0);
    expect(listener.connectionCount).toBe(1);
  });

  it('reset connection does not stop the listener', async () => {
    const stored = deferred<HandleResult>();
    const recorder = recordingHandler();
    listener = await startTestListener({
      handle: async (message) => {
        await recorder.handle(message);
        return message.frameIndex === 0 && recorder.received.length === 1
          ? stored.promise
          : { applicationAck: 'AA' };
      },
    });
    const broken = await connectPeer();
    broken.send(encodeMllpFrame(ADT));
    await waitFor(() => recorder.received.length === 1, 'the handler call');

    broken.socket.resetAndDestroy();
    await sleep(50);
    stored.resolve({ applicationAck: 'AA' });
    const healthy = await connectPeer();
    healthy.send(encodeMllpFrame(ADT));
    const [ack] = await healthy.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AA');
    expect(recorder.received).toHaveLength(2);
    await waitFor(
      () => requireListener().connectionCount === 1,
      'the reset connection to be released',
    );
  });

  it('junk before the start block is skipped', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const peer = await connectPeer();

    peer.send(Buffer.concat([Buffer.from('\r\n\r\n'), encodeMllpFrame(ADT)]));
    const [ack] = await peer.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AA');
    expect(recorder.received).toHaveLength(1);
  });

  it('invalid options list every problem', async () => {
    const attempt = MllpListener.start({
      handle: recordingHandler().handle,
      port: 70000,
      idleTimeoutMs: 0,
      maxConnections: 1.5,
      parseMode: 'loose' as never,
    });

    await expect(attempt).rejects.toThrow(ConfigError);
    const error = (await attempt.catch((caught: unknown) => caught)) as ConfigError;
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      'port',
      'idleTimeoutMs',
      'maxConnections',
      'parseMode',
    ]);
  });

  it('busy port gives a clear error', async () => {
    listener = await startTestListener({ handle: recordingHandler().handle });

    const attempt = startTestListener({
      handle: recordingHandler().handle,
      port: listener.address.port,
    });

    await expect(attempt).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });
});
