import { joinKey, systemClock, type Clock, type ConfigIssue } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';

import { CheckpointError } from '../errors';
import { SEQUENCE_NUMBER_PATTERN, STREAM_NAME_PATTERN } from '../kinesis-limits';
import { checkKinesisName, throwIfIssues } from '../option-checks';
import { compareStreamPositions, type StreamPosition } from './stream-position';

const CHECKPOINT_FORMAT_VERSION = 1;

/** How far a consumer has committed one shard. */
export interface ShardCheckpoint {
  shardId: string;
  /** Last committed position. Absent only when the shard ended before any record in it was committed. */
  position?: StreamPosition;
  /**
   * The position is the last user record of its Kinesis record, so reading resumes
   * AFTER that record. Otherwise it resumes AT it and skips the committed user records.
   */
  endsKinesisRecord?: boolean;
  /** The shard was read to its end (SHARD_END) and every record in it committed, so its children may be read. */
  shardEnd: boolean;
}

/** Key prefix of a consumer's checkpoints for one stream, such as `_state/streams/adt-loader/hl7-adt/`. */
export function checkpointPrefix(consumerName: string, streamName: string): string {
  return `${joinKey('_state', 'streams', consumerName, streamName)}/`;
}

/**
 * Stream checkpoints in an `ObjectStore`, one JSON object per shard under
 * `checkpointPrefix`. Each save is one atomic put. A save never moves a shard
 * backwards, and saves for one shard are written one after another.
 */
export class CheckpointStore {
  readonly prefix: string;
  private readonly store: ObjectStore;
  private readonly consumerName: string;
  private readonly streamName: string;
  private readonly clock: Clock;
  private readonly latest = new Map<string, ShardCheckpoint>();
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(
    store: ObjectStore,
    consumerName: string,
    streamName: string,
    clock: Clock = systemClock,
  ) {
    const issues: ConfigIssue[] = [];
    checkKinesisName(issues, 'consumerName', consumerName);
    checkKinesisName(issues, 'streamName', streamName);
    if (consumerName === '.' || consumerName === '..')
      issues.push({ keyPath: 'consumerName', message: 'must not be "." or ".."' });
    if (streamName === '.' || streamName === '..')
      issues.push({ keyPath: 'streamName', message: 'must not be "." or ".."' });
    throwIfIssues(issues, 'checkpoint store');

    this.store = store;
    this.consumerName = consumerName;
    this.streamName = streamName;
    this.clock = clock;
    this.prefix = checkpointPrefix(consumerName, streamName);
  }

  /** Object key of a shard's checkpoint. */
  keyFor(shardId: string): string {
    return `${this.prefix}${shardId}.json`;
  }

  /** Read every stored checkpoint of this consumer and stream, by shard id. */
  async loadAll(): Promise<Map<string, ShardCheckpoint>> {
    const checkpoints = new Map<string, ShardCheckpoint>();
    for await (const object of this.store.list({ prefix: this.prefix })) {
      if (!object.key.endsWith('.json')) continue;
      const checkpoint = parseCheckpoint(object.key, await this.store.get(object.key));
      checkpoints.set(checkpoint.shardId, checkpoint);
      this.remember(checkpoint);
    }
    return checkpoints;
  }

  /**
   * Store a checkpoint unless the stored one is already at or past it. Returns
   * whether it wrote. A shard marked ended stays ended.
   */
  save(checkpoint: ShardCheckpoint): Promise<boolean> {
    const previous = this.writes.get(checkpoint.shardId) ?? Promise.resolve();
    const write = previous.catch(() => undefined).then(() => this.write(checkpoint));
    this.writes.set(checkpoint.shardId, write);
    return write;
  }

  private async write(checkpoint: ShardCheckpoint): Promise<boolean> {
    if (!this.advances(checkpoint)) return false;

    const body = {
      version: CHECKPOINT_FORMAT_VERSION,
      consumer: this.consumerName,
      stream: this.streamName,
      shardId: checkpoint.shardId,
      sequenceNumber: checkpoint.position?.sequenceNumber ?? null,
      subSequenceNumber: checkpoint.position?.subSequenceNumber ?? null,
      endsKinesisRecord: checkpoint.endsKinesisRecord ?? false,
      shardEnd: checkpoint.shardEnd,
      updatedAt: this.clock.now().toISOString(),
    };
    await this.store.put(this.keyFor(checkpoint.shardId), `${JSON.stringify(body, null, 2)}\n`, {
      contentType: 'application/json',
    });
    this.remember(checkpoint);
    return true;
  }

  private advances(checkpoint: ShardCheckpoint): boolean {
    const stored = this.latest.get(checkpoint.shardId);
    if (!stored) return true;
    if (stored.shardEnd) return false;
    if (!checkpoint.position || !stored.position) return checkpoint.shardEnd || !stored.position;

    const order = compareStreamPositions(checkpoint.position, stored.position);
    return order > 0 || (order === 0 && checkpoint.shardEnd);
  }

  private remember(checkpoint: ShardCheckpoint): void {
    this.latest.set(checkpoint.shardId, checkpoint);
  }
}

/** Parse and check a stored checkpoint object, naming the key and field of any problem. */
export function parseCheckpoint(key: string, bytes: Uint8Array): ShardCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CheckpointError('checkpoint is not valid JSON', key, {
      cause: error,
      hint: 'Delete the object to read the shard again from its start, or restore it from a backup.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidField(key, '(root)', 'must be a JSON object');
  }

  const fields = value as Record<string, unknown>;
  if (fields['version'] !== CHECKPOINT_FORMAT_VERSION) {
    throw invalidField(
      key,
      'version',
      `must be ${CHECKPOINT_FORMAT_VERSION}, got ${JSON.stringify(fields['version'])}`,
    );
  }
  const shardId = fields['shardId'];
  if (typeof shardId !== 'string' || !STREAM_NAME_PATTERN.test(shardId)) {
    throw invalidField(key, 'shardId', 'must be a shard id such as shardId-000000000000');
  }
  const shardEnd = fields['shardEnd'];
  if (typeof shardEnd !== 'boolean') throw invalidField(key, 'shardEnd', 'must be true or false');

  const sequenceNumber = fields['sequenceNumber'];
  const subSequenceNumber = fields['subSequenceNumber'];
  if (sequenceNumber === null && subSequenceNumber === null && shardEnd)
    return { shardId, shardEnd };
  if (typeof sequenceNumber !== 'string' || !SEQUENCE_NUMBER_PATTERN.test(sequenceNumber)) {
    throw invalidField(
      key,
      'sequenceNumber',
      'must be a decimal sequence number string (null only when shardEnd is true)',
    );
  }
  if (
    typeof subSequenceNumber !== 'number' ||
    !Number.isSafeInteger(subSequenceNumber) ||
    subSequenceNumber < 0
  ) {
    throw invalidField(key, 'subSequenceNumber', 'must be a non-negative integer');
  }
  const endsKinesisRecord = fields['endsKinesisRecord'] ?? false;
  if (typeof endsKinesisRecord !== 'boolean') {
    throw invalidField(key, 'endsKinesisRecord', 'must be true or false');
  }
  return { shardId, shardEnd, endsKinesisRecord, position: { sequenceNumber, subSequenceNumber } };
}

function invalidField(key: string, field: string, rule: string): CheckpointError {
  return new CheckpointError(`invalid checkpoint: ${field} ${rule}`, key, {
    position: { keyPath: field },
    hint: 'Delete the object to read the shard again from its start, or restore it from a backup.',
  });
}
