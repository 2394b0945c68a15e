import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '@carelake/core';
import { computeRecordHash, genesisHash } from './chain';
import { AuditError } from './errors';
import type { AuditEvent, AuditEventInput, AuditLog } from './event';
import { appendIndexRecord } from './index-file';
import { withIndexLock, type IndexLockOptions } from './index-lock';
import { appendJsonLine } from './json-lines';
import { createSegmentId, SEGMENTS_FOLDER, segmentPath } from './layout';
import { validateEventInput } from './validate-event';

export interface FileAuditLogOptions {
  /** The lake's `_audit` folder; created if missing. */
  dir: string;
  clock?: Clock;
  /** Flush every appended line to disk before `append` resolves. Default true. */
  fsync?: boolean;
  /** Waiting for the index lock, which other writer processes hold briefly. */
  lock?: IndexLockOptions;
}

/**
 * An `AuditLog` that writes its own segment file under `_audit/segments/`, so that
 * several processes append at once without forking a chain. Appends from one
 * instance are written in call order. Once a write fails the instance rejects every
 * later append, because the next event could not chain to a line that may be torn.
 */
export class FileAuditLog implements AuditLog {
  /** Appends and the close, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextSeq = 0;
  private lastHash: string;
  private failure: unknown;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    readonly segmentId: string,
    private readonly handle: FileHandle,
    private readonly clock: Clock,
    private readonly fsync: boolean,
    private readonly lockOptions: IndexLockOptions,
  ) {
    this.lastHash = genesisHash(segmentId);
  }

  /** Create a new segment file and record its opening in the index. */
  static async open(options: FileAuditLogOptions): Promise<FileAuditLog> {
    const clock = options.clock ?? systemClock;
    const fsync = options.fsync ?? true;
    const lockOptions = options.lock ?? {};
    await mkdir(path.join(options.dir, SEGMENTS_FOLDER), { recursive: true });

    // The segment file is created while the lock is held, so that verify, which lists
    // the folder under the same lock, never lists a segment whose open record is still to come.
    const { segmentId, handle } = await withIndexLock(
      options.dir,
      async () => {
        const now = clock.now();
        const segmentId = createSegmentId(now);
        // 'ax': append mode, and fail rather than share a file if the id were ever reused.
        const handle = await open(segmentPath(options.dir, segmentId), 'ax');
        try {
          await appendIndexRecord(options.dir, { kind: 'open', segment: segmentId }, now, fsync);
        } catch (error) {
          await handle.close();
          throw error;
        }
        return { segmentId, handle };
      },
      lockOptions,
    );

    if (fsync) {
      await syncFolder(path.join(options.dir, SEGMENTS_FOLDER));
      await syncFolder(options.dir);
    }
    return new FileAuditLog(options.dir, segmentId, handle, clock, fsync, lockOptions);
  }

  append(input: AuditEventInput): Promise<AuditEvent> {
    if (this.closing) {
      return Promise.reject(new AuditError(`audit segment ${this.segmentId} is closed`));
    }
    try {
      validateEventInput(input);
    } catch (error) {
      return Promise.reject(error);
    }
    // Copy now, so that a caller changing its arrays or objects after the call changes nothing.
    const resources = [...input.resources];
    const details = { ...(input.details ?? {}) };
    return this.enqueue(() => this.write({ ...input, resources, details }));
  }

  /** Write the close record to the index and release the file. Calling it again is harmless. */
  close(): Promise<void> {
    this.closing ??= this.enqueue(async () => {
      try {
        if (this.failure === undefined) {
          await withIndexLock(
            this.dir,
            () =>
              appendIndexRecord(
                this.dir,
                {
                  kind: 'close',
                  segment: this.segmentId,
                  lastSeq: this.nextSeq === 0 ? undefined : this.nextSeq - 1,
                  lastHash: this.lastHash,
                },
                this.clock.now(),
                this.fsync,
              ),
            this.lockOptions,
          );
        }
      } finally {
        await this.handle.close();
      }
    });
    return this.closing;
  }

  private async write(
    input: AuditEventInput & { details: AuditEvent['details'] },
  ): Promise<AuditEvent> {
    if (this.failure !== undefined) {
      throw new AuditError(`audit segment ${this.segmentId} failed an earlier write`, {
        cause: this.failure,
        hint: 'Open a new FileAuditLog to keep logging; verify reports the damaged line of this segment.',
      });
    }
    const unsealed: Omit<AuditEvent, 'hash'> = {
      seq: this.nextSeq,
      time: this.clock.now().toISOString(),
      segment: this.segmentId,
      principal: input.principal,
      action: input.action,
      resources: input.resources,
      outcome: input.outcome,
      details: input.details,
      prev: this.lastHash,
    };
    const event: AuditEvent = { ...unsealed, hash: computeRecordHash(unsealed) };

    try {
      await appendJsonLine(this.handle, event, this.fsync);
    } catch (error) {
      this.failure = error;
      throw new AuditError(`failed to append to audit segment ${this.segmentId}`, { cause: error });
    }
    this.nextSeq += 1;
    this.lastHash = event.hash;
    return event;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    // Keep the queue going after a rejection; the caller still sees it through `result`.
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** Make a new directory entry durable: fsync of a file does not cover its name. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
