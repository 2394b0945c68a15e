import {
  RecordEncryptor,
  StreamProducer,
  type DeadLetterRecord,
  type KinesisSender,
  type ProducerStats,
  type PutResult,
  type StreamProducerOptions,
} from '@carelake/stream';
import type { KeyProvider } from '@carelake/storage';
import type { ErrorPosition } from '@carelake/core';
import { AGGREGATED_PARTITION_KEYS, partitionKeyOf } from './partition-keys';
import type { StreamPublishingSetup } from './stream-pipeline-setup';
import { quarantineStreamRecord } from './stream-quarantine';

/** Producer settings a caller may change, such as tests and benchmarks. */
export type StreamProducerTuning = Partial<
  Pick<
    StreamProducerOptions,
    | 'lingerMs'
    | 'maxInFlightBatches'
    | 'maxBufferedRecords'
    | 'maxBufferedBytes'
    | 'retry'
    | 'sleep'
    | 'random'
  >
>;

export interface StreamPublisherOptions {
  setup: StreamPublishingSetup;
  client: KinesisSender;
  /** Wraps the data keys that encrypt each record; records are sent unencrypted without it. */
  keyProvider?: KeyProvider;
  producer?: StreamProducerTuning;
}

/** Origin of a published record, named in quarantine items and errors: a file and a 0-based record index. */
export interface PublishedRecordSource {
  name: string;
  record?: number;
}

/** Counts of a publisher since it was created. */
export interface PublishSummary extends ProducerStats {
  /** Quarantine items written for records the stream did not accept. */
  quarantined: number;
}

/**
 * Puts a stream pipeline's records on its stream, with the pipeline's aggregation setting and
 * partition keys from `partitionKeyOf`, spread over `source.partitionKeys` keys when set (256 with
 * aggregation). `publish` resolves once the stream has accepted the
 * record. Records the stream still refuses after the producer's retries are landed and
 * quarantined with their PutRecords error code, and their `publish` rejects.
 */
export class StreamPublisher {
  private readonly producer: StreamProducer;
  private readonly sources = new Map<string, PublishedRecordSource>();
  private quarantined = 0;
  private nextId = 0;
  private readonly keyCount: number | undefined;

  constructor(private readonly options: StreamPublisherOptions) {
    const { setup, client, keyProvider } = options;
    this.keyCount =
      setup.source.partitionKeys ??
      (setup.source.aggregation ? AGGREGATED_PARTITION_KEYS : undefined);
    this.producer = new StreamProducer({
      ...options.producer,
      client,
      streamName: setup.source.stream,
      aggregate: setup.source.aggregation,
      logger: setup.logger,
      deadLetter: (records) => this.quarantineDeadLetters(records),
      ...(keyProvider
        ? { encryptor: new RecordEncryptor({ keyProvider, clock: setup.lake.clock }) }
        : {}),
    });
  }

  get streamName(): string {
    return this.options.setup.source.stream;
  }

  /**
   * Put one record and resolve with its place on the stream once the stream has accepted it.
   * @throws InvalidStreamRecordError for a record over the size limit; StreamRecordFailedError
   *   when the stream did not accept it (`deadLettered` is true when it was quarantined).
   */
  async publish(data: Uint8Array, source: PublishedRecordSource): Promise<PutResult> {
    const id = `${this.nextId++}`;
    this.sources.set(id, source);
    try {
      return await this.producer.put({
        partitionKey: partitionKeyOf(data, this.keyCount),
        data,
        id,
      });
    } finally {
      this.sources.delete(id);
    }
  }

  /** Send what is buffered, wait for every record's result and stop taking records. */
  async close(): Promise<PublishSummary> {
    await this.producer.close();
    return this.summary();
  }

  summary(): PublishSummary {
    return { ...this.producer.stats, quarantined: this.quarantined };
  }

  private async quarantineDeadLetters(records: readonly DeadLetterRecord[]): Promise<void> {
    const { setup } = this.options;
    for (const record of records) {
      const source = (record.id === undefined ? undefined : this.sources.get(record.id)) ?? {
        name: `put-${record.index}`,
      };
      const position: ErrorPosition = {
        file: source.name,
        ...(source.record !== undefined ? { record: source.record } : {}),
      };
      this.quarantined += await quarantineStreamRecord(setup, {
        landingName: source.record === undefined ? source.name : `${source.name}-${source.record}`,
        data: record.data,
        streamRecord: {
          stream: setup.source.stream,
          partitionKey: record.partitionKey,
          errorCode: record.errorCode,
          attempts: record.attempts,
        },
        problems: [
          {
            position,
            stage: 'publish',
            reason: `${record.errorCode}: stream ${setup.source.stream} did not accept the record after ${record.attempts} PutRecords call(s)`,
          },
        ],
      });
    }
    setup.logger.warn(
      {
        records: records.length,
        errorCodes: [...new Set(records.map((record) => record.errorCode))],
      },
      'records dead-lettered to quarantine',
    );
  }
}
