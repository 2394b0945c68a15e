import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseYamlDocument, secretReferenceSchema } from '@carelake/core';
import { csvSchema } from '@carelake/csv';
import { vocabularyCheckSchema } from './vocab-check-option';
import { isIanaTimeZone } from '@carelake/hl7v2';

const tableName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');

const directorySource = z
  .object({
    type: z.literal('directory'),
    /** Folder to read, relative to the pipeline file. */
    path: z.string().min(1),
    /** File name suffixes to take; others are left alone. */
    include: z.array(z.string().min(1)).default(['.hl7', '.json', '.ndjson', '.ndjson.gz', '.csv']),
  })
  .strict();

/**
 * An MLLP listener: `carelake mllp listen` lands and acknowledges each message, and ingests what
 * landed every `flushSeconds` or `flushMessages`; `carelake pipeline run` ingests what landed.
 */
/** TLS for an MLLP listener; file paths are relative to the pipeline file. */
const mllpTls = z
  .object({
    /** Server certificate chain, a PEM file. */
    cert: z.string().min(1),
    /** Private key of `cert`: a secret reference such as `file:certs/mllp.key` or `env:MLLP_TLS_KEY`. */
    key: secretReferenceSchema,
    /** CA certificates that sender certificates must chain to, a PEM file. */
    ca: z.string().min(1).optional(),
    /** Accept only senders that present a certificate chaining to `ca`. */
    requestClientCert: z.boolean().default(false),
    minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
  })
  .strict()
  .superRefine((tls, context) => {
    if (tls.requestClientCert && tls.ca === undefined) {
      context.addIssue({ code: 'custom', path: ['ca'], message: 'is required with requestClientCert, to verify sender certificates' });
    }
  });

const mllpSource = z
  .object({
    type: z.literal('mllp'),
    /** Address to listen on; loopback unless a sender on another host must reach it. */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(2575),
    maxFrameBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
    idleTimeoutSeconds: z.number().int().min(1).default(300),
    maxConnections: z.number().int().min(1).default(64),
    flushSeconds: z.number().min(0.1).default(5),
    flushMessages: z.number().int().min(1).default(1000),
    /** Accept MLLP over TLS only; plain TCP when absent. */
    tls: mllpTls.optional(),
  })
  .strict();

/**
 * A Kinesis data stream. `carelake stream put` publishes files to it, `carelake mllp listen
 * --publish` publishes MLLP messages, and `carelake stream run` reads it into the outputs in
 * micro-batches. A micro-batch is committed when its records reach `bufferMiB` or its oldest
 * record has waited `bufferSeconds`, whichever comes first, like Firehose's buffering hints, and
 * with the same ranges and defaults.
 */
const kinesisSource = z
  .object({
    type: z.literal('kinesis'),
    /** Stream name, as Kinesis allows it. */
    stream: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be 1 to 128 letters, digits, "_", "." or "-"'),
    /** Shards of the stream when carelake creates it on the local endpoint. */
    shards: z.number().int().min(1).max(50).default(1),
    /** Pack records into KPL aggregated records when publishing. */
    aggregation: z.boolean().default(false),
    /**
     * Partition keys the publisher spreads records over; the records of one patient or resource
     * always get the same one. Left out: one key per patient or resource, or 256 keys with
     * aggregation, because an aggregated record packs the records of one key only.
     */
    partitionKeys: z.number().int().min(1).max(10_000).optional(),
    /** Record bytes that commit a micro-batch, in MiB. */
    bufferMiB: z.number().min(1).max(128).default(5),
    /** Age of a micro-batch's oldest record that commits it, in seconds. */
    bufferSeconds: z.number().min(0).max(900).default(300),
    /**
     * Minimum time between two rebuilds of the `_current` companions, in seconds. A rebuild reads a
     * table's whole history, so one after every micro-batch would slow a busy stream more and more.
     * 0 rebuilds after every micro-batch. The end of a run always rebuilds them.
     */
    currentRefreshSeconds: z.number().min(0).max(86_400).default(300),
    /** Name of the consumer, which owns the checkpoints; the pipeline name when left out. */
    consumer: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be 1 to 128 letters, digits, "_", "." or "-"').optional(),
  })
  .strict();

const postActionSchema = z.union([
  z.enum(['leave', 'delete']),
  z.object({ archive: z.string().min(1) }).strict(),
]);

/**
 * An SFTP folder of a partner. Secrets are references (`env:NAME`, `file:path`), never values, and
 * the server's host key is pinned or read from a known_hosts file: there is no way to accept any key.
 */
const sftpSource = z
  .object({
    type: z.literal('sftp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().min(1),
    /** Remote folder to list. */
    path: z.string().min(1),
    /** Globs of the files to take, matched against the path relative to `path`. */
    patterns: z.array(z.string().min(1)).min(1).default(['*']),
    recursive: z.boolean().default(false),
    exclude: z.array(z.string().min(1)).default([]),
    /** Pinned host key fingerprints, as `ssh-keygen -lf` prints them (`SHA256:...`). */
    hostKey: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** known_hosts file listing the server's key, relative to the pipeline file. */
    knownHosts: z.string().min(1).optional(),
    privateKey: secretReferenceSchema.optional(),
    passphrase: secretReferenceSchema.optional(),
    password: secretReferenceSchema.optional(),
    /** Name of the environment variable that contains the ssh-agent socket path, such as SSH_AUTH_SOCK. */
    agentFrom: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** Seconds between the two listings that decide whether a file is still being written. */
    stableSeconds: z.number().min(0).max(3600).default(5),
    /** Suffix of completion markers (`x.hl7.done`), or null when the partner writes none. */
    completionMarker: z.string().min(1).nullable().default('.done'),
    /** Take only files that have a completion marker. */
    requireMarker: z.boolean().default(false),
    /** Action on the server file once it has landed: archive into a folder, delete, or leave. */
    postAction: postActionSchema.default('leave'),
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Download attempts of one file, counting the first, before it is reported as failed. */
    maxAttempts: z.number().int().min(1).max(20).default(5),
  })
  .strict()
  .superRefine((source, context) => {
    if ((source.hostKey === undefined) === (source.knownHosts === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['hostKey'],
        message: 'set exactly one of hostKey (the pinned SHA256 fingerprint) and knownHosts; no host key means no connection',
      });
    }
    if (source.privateKey === undefined && source.password === undefined && source.agentFrom === undefined) {
      context.addIssue({ code: 'custom', path: ['privateKey'], message: 'set privateKey, password or agentFrom to log in' });
    }
  });

/**
 * Deployment settings of the pipeline's runner in the CDK app of infra/. Left out, the runner is
 * an AWS Lambda function with the defaults below, run every hour for file sources and by its
 * stream for kinesis sources.
 */
const deploySchema = z
  .object({
    /** EventBridge schedule of a file pipeline, such as `rate(1 hour)` or `cron(0 2 * * ? *)`. */
    schedule: z
      .string()
      .regex(/^(rate|cron)\(.+\)$/, 'must be an EventBridge schedule expression, such as rate(1 hour) or cron(0 2 * * ? *)')
      .default('rate(1 hour)'),
    /** Memory of the Lambda function, in MiB (Lambda allows 128 to 10,240). */
    memoryMiB: z.number().int().min(128).max(10_240).default(2048),
    /** Time limit of one invocation, in seconds (Lambda allows at most 900). */
    timeoutSeconds: z.number().int().min(1).max(900).default(900),
    /** `ecs` marks a pipeline too long for Lambda's 15 minutes. infra/README.md describes how to run it as an ECS task. */
    runner: z.enum(['lambda', 'ecs']).default('lambda'),
    /** Capacity mode of a kinesis source's stream; `provisioned` uses `source.shards` shards. */
    streamMode: z.enum(['on-demand', 'provisioned']).default('on-demand'),
  })
  .strict();

export type PipelineDeployment = z.output<typeof deploySchema>;

/** Returns the pipeline's `deploy` section, with the defaults filled in when it is left out. */
export function deploymentOf(pipeline: { deploy?: PipelineDeployment | undefined }): PipelineDeployment {
  return pipeline.deploy ?? deploySchema.parse({});
}

export const pipelineSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower case letters, digits and "-", starting with a letter'),
    description: z.string().optional(),
    source: z.discriminatedUnion('type', [directorySource, mllpSource, sftpSource, kinesisSource]),
    decode: z
      .object({
        /**
         * `auto` picks the decoder by file name: .hl7 for HL7 v2, .json and .ndjson for FHIR, .csv
         * for CSV when `schema` is set. For a kinesis source it looks at each record's first bytes:
         * `MSH` for HL7 v2, `{` for FHIR JSON. `raw` (kinesis sources only) stores each record's
         * bytes as they are, in the one output table.
         */
        format: z.enum(['auto', 'hl7v2', 'fhir', 'csv', 'raw']).default('auto'),
        /** Layout and column types of a CSV feed; its rows go to the pipeline's one output table. */
        schema: csvSchema.optional(),
        mode: z.enum(['lenient', 'strict']).default('lenient'),
        /**
         * IANA time zone the sender writes HL7 v2 local times in, such as `America/Chicago`.
         * Without it, HL7 v2 timestamps without a UTC offset are read as UTC, with a warning.
         */
        timeZone: z
          .string()
          .refine(isIanaTimeZone, {
            error: (issue) =>
              `${JSON.stringify(issue.input)} is not an IANA time zone name; use one such as America/Chicago, Europe/Amsterdam or UTC`,
          })
          .optional(),
        /**
         * Handling of a FHIR resource that breaks the R4 structure rules (an `error` issue of
         * the conformance checker). `reject`: it goes to quarantine and reaches no clinical or view
         * table, while its raw.fhir_resources row is kept. `warn`: it is mapped, and each issue is
         * counted and logged as a warning. `off`: resources are not checked. Left out: `reject`
         * (`DEFAULT_FHIR_CONFORMANCE`).
         */
        conformance: z.enum(['reject', 'warn', 'off']).optional(),
      })
      .strict()
      .default({ format: 'auto', mode: 'lenient' }),
    /**
     * HL7 v2 mapping files, or folders of `*.mapping.yaml`, relative to the pipeline file. Left
     * out: `mappings/hl7v2` beside the pipeline file, else the mappings the repository ships.
     */
    map: z.array(z.string().min(1)).min(1).optional(),
    /**
     * SQL-on-FHIR ViewDefinition files (`*.view.json`), or folders of them, relative to the pipeline
     * file. A view named X writes table fhir.X when fhir.X is one of the outputs. Left out:
     * `views/fhir` beside the pipeline file, else the views the repository ships.
     */
    views: z.array(z.string().min(1)).min(1).optional(),
    /**
     * SQL transform files (`*.sql`), or folders of them, relative to the pipeline file. A file
     * named X.sql writes clinical.X when clinical.X is one of the outputs, from the fhir view
     * tables it reads, which the run writes too. Left out, a pipeline that can read FHIR
     * (`decode.format` fhir, or auto with a directory or kinesis source) uses `transforms/fhir` beside the
     * pipeline file, else the transforms the repository ships. Other pipelines, and `[]`, run none.
     */
    transforms: z.array(z.string().min(1)).optional(),
    outputs: z.array(tableName).min(1),
    /** Settings of the vocabulary check of coded columns (vocab-check-option.ts). */
    vocabulary: vocabularyCheckSchema.optional(),
    /** Rows collected across files before one commit per table. */
    batchRows: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Deployment settings of the runner in infra/; see `deploySchema`. */
    deploy: deploySchema.optional(),
  })
  .strict()
  .superRefine((pipeline, context) => {
    if (pipeline.decode.format === 'csv' && pipeline.decode.schema === undefined) {
      context.addIssue({ code: 'custom', path: ['decode', 'schema'], message: 'is required with format csv: declare the columns of the feed' });
    }
    if (pipeline.decode.schema !== undefined && pipeline.outputs.length !== 1) {
      context.addIssue({ code: 'custom', path: ['outputs'], message: 'a CSV pipeline writes one table: name exactly one output' });
    }
    const streamed = pipeline.source.type === 'kinesis';
    if (streamed && pipeline.decode.format === 'csv') {
      context.addIssue({ code: 'custom', path: ['decode', 'format'], message: 'a kinesis source takes auto, hl7v2, fhir or raw records, not csv' });
    }
    if (!streamed && pipeline.decode.format === 'raw') {
      context.addIssue({ code: 'custom', path: ['decode', 'format'], message: 'raw is for kinesis sources; use auto, hl7v2, fhir or csv for files' });
    }
    // The local stream endpoint keeps its files under _state/streams/endpoint, beside the consumers' checkpoints.
    if (pipeline.source.type === 'kinesis' && (pipeline.source.consumer ?? pipeline.name).startsWith('endpoint')) {
      context.addIssue({ code: 'custom', path: ['source', 'consumer'], message: 'must not start with "endpoint", which names the local stream folder; set another consumer name' });
    }
    if (pipeline.decode.format === 'raw' && pipeline.outputs.length !== 1) {
      context.addIssue({ code: 'custom', path: ['outputs'], message: 'a raw stream pipeline writes one table: name exactly one output' });
    }
  });

export type PipelineDefinition = z.output<typeof pipelineSchema>;
export type SftpSourceDefinition = z.output<typeof sftpSource>;
export type KinesisSourceDefinition = z.output<typeof kinesisSource>;

/**
 * `decode.conformance` when a pipeline file leaves it out. `reject` keeps resources that break
 * the FHIR R4 rules out of the tables analysts trust, and loses nothing: their raw rows stay.
 */
export const DEFAULT_FHIR_CONFORMANCE = 'reject';

/** Returns the pipeline's `decode.conformance`, or the default. */
export function fhirConformanceOf(pipeline: PipelineDefinition): 'reject' | 'warn' | 'off' {
  return pipeline.decode.conformance ?? DEFAULT_FHIR_CONFORMANCE;
}

export interface LoadedPipeline extends PipelineDefinition {
  file: string;
  /** Absolute folder the source path is resolved against. */
  baseDir: string;
}

export function loadPipelineFile(path: string): LoadedPipeline {
  const file = resolve(path);
  const definition = parseYamlDocument(readFileSync(file, 'utf8'), basename(file), pipelineSchema);
  return { ...definition, file, baseDir: dirname(file) };
}
