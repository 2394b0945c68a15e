import { dirname } from 'node:path';
import { silentLogger, type Clock, type Logger } from '@carelake/core';
import { listenerTlsFromFiles, MllpListener } from '@carelake/mllp';
import { PipelineError } from '../errors';
import type { LoadedPipeline } from '../pipeline-file';
import type { StreamPublisher } from './stream-publisher';

export interface MllpStreamPublisherOptions {
  /** The pipeline whose `mllp` source sets where and how to listen. */
  pipeline: LoadedPipeline;
  /** Publishes to the stream pipeline's stream. */
  publisher: StreamPublisher;
  /** Port to listen on instead of the pipeline file's; 0 picks a free one. */
  port?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * An MLLP listener that puts each message on a stream instead of landing it. The ACK leaves only
 * after the stream accepted the message (PutRecords returned its sequence number). A message the
 * stream does not accept gets AE, so that the sender sends it again. When the producer
 * dead-lettered it, a copy is also in quarantine.
 */
export class MllpStreamPublisher {
  private constructor(private readonly listener: MllpListener) {}

  /**
   * Listen with the settings of the pipeline's `mllp` source.
   * @throws PipelineError for a pipeline whose source is not mllp; MllpError when the address cannot be bound.
   */
  static async start(options: MllpStreamPublisherOptions): Promise<MllpStreamPublisher> {
    const { pipeline, publisher } = options;
    const source = pipeline.source;
    if (source.type !== 'mllp') {
      throw new PipelineError(`pipeline ${pipeline.name} has a ${source.type} source, not mllp`, {
        position: { file: pipeline.file, keyPath: 'source.type' },
        hint: 'Pass a pipeline whose source.type is mllp; its source settings say where to listen.',
      });
    }
    const logger = (options.logger ?? silentLogger).child({
      pipeline: pipeline.name,
      publishTo: publisher.streamName,
    });
    const listener = await MllpListener.start({
      handle: async (message) => {
        const result = await publisher.publish(message.bytes, {
          name: `mllp-${message.connectionId}-${message.frameIndex}`,
        });
        logger.debug(
          { connection: message.connectionId, frame: message.frameIndex, shardId: result.shardId },
          'message published',
        );
        return { applicationAck: 'AA' };
      },
      host: source.host,
      port: options.port ?? source.port,
      maxFrameBytes: source.maxFrameBytes,
      idleTimeoutMs: source.idleTimeoutSeconds * 1000,
      maxConnections: source.maxConnections,
      parseMode: pipeline.decode.mode,
      ...(source.tls ? { tls: listenerTlsFromFiles(source.tls, dirname(pipeline.file)) } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      logger,
    });
    return new MllpStreamPublisher(listener);
  }

  get address(): { host: string; port: number } {
    return this.listener.address;
  }

  /** Stop listening and wait until every received message is published and acknowledged. */
  async close(): Promise<void> {
    await this.listener.close();
  }
}
