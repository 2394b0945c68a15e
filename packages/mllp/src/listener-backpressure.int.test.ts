// Real: an MllpListener over TCP on 127.0.0.1 with a free port and a bare socket as a peer that stops reading its ACKs; real timers. Faked: the clock and the ACK control ids; the handler only counts.
import { encodeMllpFrame } from './frame-encoder';
import type { MllpListener } from './listener';
import { RawPeer, sleep, startTestListener, waitFor } from './__fixtures__/tcp';

/** Messages sent by a peer that does not read; their ACKs (about 8 KiB each) are 4 times what loopback buffers hold (about 4 MiB). */
const MESSAGE_COUNT = 2000;
const SENDING_APPLICATION = 'A'.repeat(8 * 1024);

/** Frame a valid message whose ACK copies the long MSH-3 into its MSH-5, so ACK bytes add up fast. */
function messageFrame(index: number): Uint8Array {
  return encodeMllpFrame(
    `MSH|^~\\&|${SENDING_APPLICATION}|FAC|RECV|RFAC|20260304050607||ADT^A08|BP${index}|P|2.5.1\rPID|1\r`,
  );
}

/** Resolve once `read()` has not changed for `quietMs`, or after `timeoutMs`. */
async function waitUntilSteady(read: () => number, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  while (Date.now() < deadline) {
    await sleep(quietMs);
    const current = read();
    if (current === last) return current;
    last = current;
  }
  return last;
}

describe('MllpListener with a peer that does not read its ACKs', () => {
  let listener: MllpListener | undefined;
  let peer: RawPeer | undefined;
  let handled = 0;

  afterEach(async () => {
    peer?.destroy();
    await listener?.close();
    listener = undefined;
    peer = undefined;
  });

  async function startAndFlood(idleTimeoutMs: number): Promise<RawPeer> {
    handled = 0;
    listener = await startTestListener({
      handle: async () => {
        handled++;
        return { applicationAck: 'AA' };
      },
      idleTimeoutMs,
    });
    peer = await RawPeer.connect(listener.address.port);
    peer.socket.pause();
    for (let index = 0; index < MESSAGE_COUNT; index++) peer.send(messageFrame(index));
    return peer;
  }

  it('stops reading until ACKs drain', async () => {
    const flooding = await startAndFlood(60_000);

    const handledWhileStalled = await waitUntilSteady(() => handled, 300, 15_000);
    flooding.socket.resume();
    await waitFor(() => flooding.frames.length === MESSAGE_COUNT, 'every ACK', 30_000);

    expect(handledWhileStalled).toBeGreaterThan(0);
    expect(handledWhileStalled).toBeLessThan(MESSAGE_COUNT / 2);
    expect(handled).toBe(MESSAGE_COUNT);
  });

  it('close gives up on unread ACKs after the idle timeout', async () => {
    const flooding = await startAndFlood(300);
    await waitUntilSteady(() => handled, 300, 15_000);

    let timer: NodeJS.Timeout | undefined;
    const stillWaiting = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('still waiting'), 5000);
    });
    const closed = listener?.close().then(() => 'closed');
    const outcome = await Promise.race([closed, stillWaiting]);
    clearTimeout(timer);

    expect(outcome).toBe('closed');
    await flooding.waitForClose();
  });
});
