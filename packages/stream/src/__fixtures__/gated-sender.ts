import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

import type { KinesisSender } from '../kinesis-sender';

/** Wraps a client so that PutRecords calls wait until the test opens the gate. */
export class GatedSender {
  readonly client: KinesisSender;
  putRecordsCalls = 0;
  private open = false;
  private waiting: Array<() => void> = [];

  constructor(target: KinesisSender) {
    const send = async (command: unknown): Promise<unknown> => {
      if (command instanceof PutRecordsCommand) {
        this.putRecordsCalls += 1;
        if (!this.open) await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
      return (target.send as unknown as (command: unknown) => Promise<unknown>)(command);
    };
    this.client = { send: send as KinesisClient['send'] };
  }

  release(): void {
    this.open = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** Let pending promise callbacks and I/O run. */
export async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round++)
    await new Promise<void>((resolve) => setImmediate(resolve));
}
