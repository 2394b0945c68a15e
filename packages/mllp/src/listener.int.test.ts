// Real: an MllpListener and MllpClient over TCP on 127.0.0.1 with a free port, messages from the shared HL7 v2 test set, a pino logger writing to memory. Faked: the clock and the ACK control ids; the handler replaces landing.
import { CarelakeError } from '@carelake/core';
import { MllpClient } from './client';
import { encodeMllpFrame } from './frame-encoder';
import type { HandleResult, MllpReceivedMessage } from './handler';
import type { MllpListener } from './listener';
import {
  deferred,
  memoryLogger,
  RawPeer,
  recordingHandler,
  sleep,
  startTestListener,
  waitFor,
} from './__fixtures__/tcp';
import { readHl7Fixture, withHeaderFields } from './__fixtures__/testdata';

const ADT = 'adt_a04_classic_mcm_01.hl7';
const decoder = new TextDecoder();

function adtWithControlId(controlId: string, extra: Record<number, string> = {}): string {
  return withHeaderFields(ADT, { 10: controlId, ...extra });
}

describe('MllpListener end to end', () => {
  let listener: MllpListener | undefined;
  const peers: RawPeer[] = [];
  const clients: MllpClient[] = [];

  function requireListener(): MllpListener {
    if (listener === undefined) throw new Error('start the listener first');
    return listener;
  }

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    for (const client of clients.splice(0)) await client.close();
    await listener?.close();
    listener = undefined;
  });

  async function connectClient(): Promise<MllpClient> {
    const client = await MllpClient.connect({
      port: requireListener().address.port,
      responseTimeoutMs: 5000,
    });
    clients.push(client);
    return client;
  }

  async function connectPeer(): Promise<RawPeer> {
    const peer = await RawPeer.connect(requireListener().address.port);
    peers.push(peer);
    return peer;
  }

  it('handles each message once, in order', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const client = await connectClient();

    const responses = [];
    for (const controlId of ['C1', 'C2', 'C3'])
      responses.push(await client.sendMessage(adtWithControlId(controlId)));

    expect(recorder.received.map((message) => message.frameIndex)).toEqual([0, 1, 2]);
    expect(recorder.received.map((message) => decoder.decode(message.bytes))).toEqual(
      ['C1', 'C2', 'C3'].map((controlId) => adtWithControlId(controlId)),
    );
    expect(new Set(recorder.received.map((message) => message.connectionId)).size).toBe(1);
    expect(recorder.received[0]?.receivedAt.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(responses.map((response) => response.applicationAck?.code)).toEqual(['AA', 'AA', 'AA']);
    expect(responses.map((response) => response.applicationAck?.acknowledgedControlId)).toEqual([
      'C1',
      'C2',
      'C3',
    ]);
    expect(responses.map((response) => response.commitAck)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('handles pipelined frames one at a time, in order', async () => {
    const order: number[] = [];
    let active = 0;
    let maxActive = 0;
    listener = await startTestListener({
      handle: async (message) => {
        active++;
        maxActive = Math.max(maxActive, active);
        // Earlier frames take longer, so handling them in parallel would reorder them.
        await sleep(40 - message.frameIndex * 10);
        order.push(message.frameIndex);
        active--;
        return { applicationAck: 'AA' };
      },
    });
    const peer = await connectPeer();
    const frames = ['P0', 'P1', 'P2', 'P3'].map((controlId) =>
      encodeMllpFrame(adtWithControlId(controlId)),
    );

    peer.send(Buffer.concat(frames));
    const acks = await peer.waitForFrames(4);

    expect(order).toEqual([0, 1, 2, 3]);
    expect(maxActive).toBe(1);
    expect(acks.map((ack) => ack.get('MSA-2'))).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(acks.map((ack) => ack.get('MSH-10'))).toEqual([
      'ACK0001',
      'ACK0002',
      'ACK0003',
      'ACK0004',
    ]);
  });

  it('sends no byte before the handler resolves', async () => {
    const stored = deferred<HandleResult>();
    const calls: MllpReceivedMessage[] = [];
    listener = await startTestListener({
      handle: (message) => {
        calls.push(message);
        return stored.promise;
      },
    });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(readHl7Fixture(ADT)));
    await waitFor(() => calls.length === 1, 'the handler call');
    await sleep(150);

    expect(peer.receivedBytes).toBe(0);
    stored.resolve({ applicationAck: 'AA' });
    const [ack] = await peer.waitForFrames(1);
    expect(ack?.get('MSA-1')).toBe('AA');
    expect(ack?.get('MSA-2')).toBe('MSG00001');
  });

  it('handler error gives AE with ERR', async () => {
    listener = await startTestListener({
      handle: async () => {
        throw new Error('disk full while writing JONES');
      },
    });
    const client = await connectClient();

    const response = await client.sendMessage(readHl7Fixture(ADT));

    const ack = response.applicationAck;
    expect(ack?.code).toBe('AE');
    expect(ack?.message.get('ERR-3.1')).toBe('207');
    expect(ack?.message.get('ERR-3.3')).toBe('HL70357');
    expect(ack?.message.get('ERR-4')).toBe('E');
    expect(decoder.decode(ack?.bytes)).not.toContain('disk full');
    expect(decoder.decode(ack?.bytes)).not.toContain('JONES');
  });

  it('handler error with a position gives its ERR-2', async () => {
    listener = await startTestListener({
      handle: async () => {
        throw new CarelakeError('mapping failed', { position: { segment: 'PID', field: 'PID-7' } });
      },
    });
    const client = await connectClient();

    const response = await client.sendMessage(readHl7Fixture(ADT));

    expect(response.applicationAck?.message.getEncoded('ERR-2')).toBe('PID^1^7');
  });

  it('handler application reject gives AR', async () => {
    listener = await startTestListener({
      handle: async () => ({
        applicationAck: 'AR',
        error: { code: 201, severity: 'E', location: { segmentId: 'MSH', sequence: 1, field: 9 } },
      }),
    });
    const client = await connectClient();

    const response = await client.sendMessage(readHl7Fixture(ADT));

    expect(response.applicationAck?.code).toBe('AR');
    expect(response.applicationAck?.message.getEncoded('ERR-2')).toBe('MSH^1^9');
    expect(response.applicationAck?.message.get('ERR-3.1')).toBe('201');
  });

  it.each([
    { case: 'no MSH', text: 'PID|1||PATID1234\r', errorCode: '100', controlId: undefined },
    {
      case: 'invalid MSH-2',
      text: 'MSH|^^|ADT1|MCM|LABADT|MCM|2024||ADT^A04|BAD1|P|2.4\r',
      errorCode: '102',
      controlId: undefined,
    },
    {
      case: 'two messages in one frame',
      text: 'MSH|^~\\&|ADT1|MCM|LABADT|MCM|2024||ADT^A04|TWO1|P|2.4\rMSH|^~\\&|ADT1|MCM|LABADT|MCM|2024||ADT^A04|TWO2|P|2.4\r',
      errorCode: '100',
      controlId: 'TWO1',
    },
  ])('unparsable bytes give AR: $case', async ({ text, errorCode, controlId }) => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(text));
    const [ack] = await peer.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AR');
    expect(ack?.get('MSA-2')).toBe(controlId);
    expect(ack?.get('ERR-3.1')).toBe(errorCode);
    expect(recorder.received).toHaveLength(1);
    expect(decoder.decode(recorder.received[0]?.bytes)).toBe(text);
  });

  it('unparsable bytes whose handler fails still give AR', async () => {
    listener = await startTestListener({
      handle: async () => {
        throw new Error('store unavailable');
      },
    });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame('PID|1\r'));
    const [ack] = await peer.waitForFrames(1);

    expect(ack?.get('MSA-1')).toBe('AR');
  });

  it('oversize frame gives AR without calling the handler', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle, maxFrameBytes: 200 });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(readHl7Fixture(ADT)));
    peer.send(encodeMllpFrame(adtWithControlId('SMALL').split('\r')[0] + '\r'));
    const acks = await peer.waitForFrames(2);

    expect(acks.map((ack) => ack.get('MSA-1'))).toEqual(['AR', 'AA']);
    expect(acks[0]?.get('MSA-2')).toBe('MSG00001');
    expect(recorder.received.map((message) => message.frameIndex)).toEqual([1]);
  });

  it('enhanced mode sends CA then AA', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const peer = await connectPeer();
    const client = await connectClient();
    const message = adtWithControlId('E1', { 15: 'AL', 16: 'AL' });

    peer.send(encodeMllpFrame(message));
    const acks = await peer.waitForFrames(2);
    const response = await client.sendMessage(message);

    expect(acks.map((ack) => ack.get('MSA-1'))).toEqual(['CA', 'AA']);
    expect(acks.map((ack) => ack.get('MSA-2'))).toEqual(['E1', 'E1']);
    expect(response.commitAck?.code).toBe('CA');
    expect(response.applicationAck?.code).toBe('AA');
  });

  it('enhanced mode sends CE when storing fails', async () => {
    listener = await startTestListener({
      handle: async () => {
        throw new Error('store unavailable');
      },
    });
    const client = await connectClient();

    const response = await client.sendMessage(adtWithControlId('E2', { 15: 'AL', 16: 'AL' }));

    expect(response.commitAck?.code).toBe('CE');
    expect(response.commitAck?.message.get('ERR-3.1')).toBe('207');
    expect(response.applicationAck).toBeUndefined();
  });

  it('NE suppresses both ACKs', async () => {
    const recorder = recordingHandler();
    listener = await startTestListener({ handle: recorder.handle });
    const peer = await connectPeer();

    peer.send(encodeMllpFrame(adtWithControlId('N1', { 15: 'NE', 16: 'NE' })));
    await waitFor(() => recorder.received.length === 1, 'the handler call');
    peer.send(encodeMllpFrame(adtWithControlId('N2')));
    const acks = await peer.waitForFrames(1);

    expect(acks.map((ack) => ack.get('MSA-2'))).toEqual(['N2']);
    expect(recorder.received).toHaveLength(2);
  });

  it('NE application type leaves only CA', async () => {
    listener = await startTestListener({ handle: recordingHandler().handle });
    const client = await connectClient();

    const response = await client.sendMessage(adtWithControlId('N3', { 15: 'AL', 16: 'NE' }));

    expect(response.commitAck?.code).toBe('CA');
    expect(response.applicationAck).toBeUndefined();
  });

  it('ER application type sends AE after CA', async () => {
    listener = await startTestListener({
      handle: async () => ({ applicationAck: 'AE', error: { code: 103, severity: 'W' } }),
    });
    const client = await connectClient();

    const response = await client.sendMessage(adtWithControlId('R1', { 15: 'AL', 16: 'ER' }));

    expect(response.commitAck?.code).toBe('CA');
    expect(response.applicationAck?.code).toBe('AE');
    expect(response.applicationAck?.message.get('ERR-4')).toBe('W');
  });

  it('handler failure log omits error text', async () => {
    const { logger, lines } = memoryLogger();
    listener = await startTestListener({
      logger,
      handle: async () => {
        throw new Error('cannot store JONES^WILLIAM');
      },
    });
    const client = await connectClient();

    await client.sendMessage(readHl7Fixture(ADT));

    const log = lines.join('');
    expect(log).toContain('"errorName":"Error"');
    expect(log).not.toContain('JONES');
    expect(log).not.toContain('MSG00001');
  });

  it('logs no field values', async () => {
    const { logger, lines } = memoryLogger();
    listener = await startTestListener({ handle: recordingHandler().handle, logger });
    const client = await connectClient();

    await client.sendMessage(readHl7Fixture(ADT));
    await client.close();
    await listener.close();

    const log = lines.join('');
    expect(log).toContain('"controlIdHash"');
    expect(log).toContain('"frameIndex":0');
    for (const value of ['MSG00001', 'JONES', 'PATID1234', 'ADT1', 'LABADT', 'GREENSBORO']) {
      expect(log).not.toContain(value);
    }
  });
});
