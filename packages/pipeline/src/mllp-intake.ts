import { dirname } from 'node:path';
import { CarelakeError, RUNNER, sha256Hex, silentLogger, type Logger } from '@carelake/core';
import { listenerTlsFromFiles, MllpListener, type HandleResult, type MllpReceivedMessage } from '@carelake/mllp';
import { requireDataset } from './datasets';
import { PipelineError } from './errors';
import { loadHl7Mappings } from './hl7-mappings';
import { landFile } from './landing';
import { runPipeline, type RunPipelineOptions, type RunSummary } from './runner';

/** Digits of the frame index in a landed message's name: frame indexes below 10^12 sort in order. */
const FRAME_INDEX_DIGITS = 12;

export interface MllpIntakeOptions extends RunPipelineOptions {
  /** Port to listen on instead of the pipeline file's; 0 picks a free one. */
  port?: number;
  /** Called after each ingestion of landed messages, for progress output. */
  onIngested?: (summary: RunSummary) => void;
}

/**
 * An MLLP listener for one pipeline. Each message is landed (written and synced) before its ACK
 * leaves, so an acknowledged message survives a crash. Landed messages are ingested in the
 * background every `flushSeconds`, or sooner once `flushMessages` have landed, through the same
 * run as `carelake pipeline run`, which also picks up whatever a crash left landed but not
 * ingested.
 */
export class MllpIntake {
  private landedSinceRun = 0;
  private running: Promise<RunSummary | undefined> = Promise.resolve(undefined);
  /** A run queued behind the one in progress and not started yet. */
  private queuedRun: Promise<RunSummary | undefined> | undefined;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly options: MllpIntakeOptions,
    private readonly logger: Logger,
    private listener: MllpListener | undefined,
  ) {
    const source = this.source();
    this.timer = setInterval(() => {
      if (this.landedSinceRun > 0) void this.ingest();
    }, source.flushSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Check the pipeline's datasets and mapping files, then listen. A broken mapping file stops
   * the start, because otherwise every message would be acknowledged and none ingested.
   * @throws ConfigError or PipelineError for a pipeline that cannot run; MllpError when the
   *   address cannot be bound.
   */
  static async start(options: MllpIntakeOptions): Promise<MllpIntake> {
    const { pipeline, datasets } = options;
    for (const table of pipeline.outputs) requireDataset(datasets, table);
    if (pipeline.decode.format !== 'fhir') loadHl7Mappings(pipeline, datasets);

    const logger = (options.logger ?? silentLogger).child({ pipeline: pipeline.name });
    const intake = new MllpIntake(options, logger, undefined);
    const source = intake.source();
    try {
      intake.listener = await MllpListener.start({
        handle: (message) => intake.land(message),
        host: source.host,
        port: options.port ?? source.port,
        maxFrameBytes: source.maxFrameBytes,
        idleTimeoutMs: source.idleTimeoutSeconds * 1000,
        maxConnections: source.maxConnections,
        parseMode: options.pipeline.decode.mode,
        ...(source.tls ? { tls: listenerTlsFromFiles(source.tls, dirname(options.pipeline.file)) } : {}),
        clock: options.lake.clock,
        logger,
      });
    } catch (error) {
      clearInterval(intake.timer);
      throw error;
    }
    return intake;
  }

  get address(): { host: string; port: number } {
    if (!this.listener) throw new PipelineError('the MLLP intake has no listener');
    return this.listener.address;
  }

  /**
   * Ingest what has landed, after any ingestion already running. Resolves with that run's
   * summary; a failed run is logged and retried on the next flush. Calls made while a run waits
   * to start share it, because it lists the landed messages only when it starts.
   */
  ingest(): Promise<RunSummary | undefined> {
    if (this.queuedRun) return this.queuedRun;
    const run = this.running.then(async () => {
      this.queuedRun = undefined;
      const landedBeforeRun = this.landedSinceRun;
      this.landedSinceRun = 0;
      try {
        const summary = await runPipeline(this.options);
        this.options.onIngested?.(summary);
        return summary;
      } catch (error) {
        // Counted again, so that the timer retries even when no new message lands.
        this.landedSinceRun += Math.max(landedBeforeRun, 1);
        // Only carelake errors are known to carry no field values, so others are logged by name.
        const reason = error instanceof CarelakeError ? error.describe() : error instanceof Error ? error.name : 'unknown error';
        this.logger.error({ reason }, 'ingesting landed MLLP messages failed; the next flush retries');
        return undefined;
      }
    });
    this.queuedRun = run;
    this.running = run;
    return run;
  }

  /** Stop listening, wait for every received message to be landed and acknowledged, then ingest them. */
  async close(): Promise<RunSummary | undefined> {
    clearInterval(this.timer);
    await this.listener?.close();
    return this.ingest();
  }

  private async land(message: MllpReceivedMessage): Promise<HandleResult> {
    const { lake, pipeline } = this.options;
    const sha256 = sha256Hex(message.bytes);
    // Arrival time first and a zero-padded frame index, so that name order is arrival order for
    // the run that ingests them, also for frames of one connection that arrive in one millisecond.
    const stamp = message.receivedAt.toISOString().replace(/[-:]/g, '');
    const frame = String(message.frameIndex).padStart(FRAME_INDEX_DIGITS, '0');
    const name = `${stamp}-${message.connectionId}-${frame}.hl7`;

    const landed = await landFile(lake.store, pipeline.name, name, sha256, message.bytes);
    await lake.audit.append({
      principal: (this.options.principal ?? RUNNER).name,
      action: 'file.land',
      resources: [landed.landingKey],
      outcome: 'success',
      details: { sha256, sizeBytes: landed.sizeBytes, written: landed.written, via: 'mllp' },
    });
    this.logger.debug({ sha256, connection: message.connectionId, frame: message.frameIndex, written: landed.written }, 'message landed');

    if (landed.written) this.landedSinceRun++;
    if (this.landedSinceRun >= this.source().flushMessages) void this.ingest();
    return { applicationAck: 'AA' };
  }

  private source(): Extract<MllpIntakeOptions['pipeline']['source'], { type: 'mllp' }> {
    const source = this.options.pipeline.source;
    if (source.type !== 'mllp') {
      throw new PipelineError(`pipeline ${this.options.pipeline.name} has a ${source.type} source, not mllp`, {
        position: { file: this.options.pipeline.file, keyPath: 'source.type' },
        hint: 'Set source.type to mllp in the pipeline file to listen for HL7 v2 messages.',
      });
    }
    return source;
  }
}
