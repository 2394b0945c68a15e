import type { ErrorPosition, Row } from '@carelake/core';
import type { StreamPosition } from '@carelake/stream';
import { validateRow } from '@carelake/tables';
import { decodeFhir } from '../decode-fhir';
import { decodeHl7 } from '../decode-hl7';
import {
  emptyDecodedFile,
  type DecodeContext,
  type DecodedAttachment,
  type DecodedFile,
} from '../decoded-file';
import { rawStreamRow } from './raw-records';
import type { StreamPipelineSetup } from './stream-pipeline-setup';
import { formatOfRecord, type StreamRecordInput } from './stream-record';
import { streamRecordId } from './stream-ranges';

/** A part of a record that failed to decode or validate; it goes to quarantine. */
export interface StagedProblem {
  /** Within the record, with `file` set to the record id. */
  position: ErrorPosition;
  stage: 'decode' | 'validate';
  reason: string;
  /** The rejected text, when the decoder can isolate it. */
  content?: string;
}

/** One stream record decoded, mapped and validated, waiting for its micro-batch to commit. */
export interface StagedRecord {
  shardId: string;
  position: StreamPosition;
  /** `kinesis:<stream>:<shard>:<sequenceNumber>.<subSequenceNumber>`, the rows' `source_file`. */
  recordId: string;
  partitionKey: string;
  sizeBytes: number;
  /** Valid rows by output table. */
  rowsByTable: Map<string, Row[]>;
  rowCount: number;
  problems: StagedProblem[];
  attachments: DecodedAttachment[];
  warnings: number;
  /** The record's bytes, kept only when it has problems: they are landed for the quarantine items. */
  data: Uint8Array | undefined;
}

/**
 * Decode one record in the pipeline's `decode.format` (for `auto`, the format its first bytes
 * show), map it with the pipeline's HL7 v2 mappings or FHIR views, and validate every row
 * against its table. Rows name the record by its id in `source_file`.
 */
export async function stageStreamRecord(
  setup: StreamPipelineSetup,
  record: StreamRecordInput,
  ingestedAt: Date,
): Promise<StagedRecord> {
  const recordId = streamRecordId(setup.source.stream, record.shardId, record);
  const decoded = await decodeRecord(setup, record, recordId, ingestedAt);
  for (const warning of decoded.mappingWarnings) {
    setup.logger.debug(
      { code: warning.code, record: recordId, position: warning.position },
      'decode warning',
    );
  }

  const staged: StagedRecord = {
    shardId: record.shardId,
    position: {
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
    },
    recordId,
    partitionKey: record.partitionKey,
    sizeBytes: record.data.length,
    rowsByTable: new Map(),
    rowCount: 0,
    problems: decoded.problems.map((problem) => ({
      position: { ...problem.position, file: recordId },
      stage: 'decode',
      reason: problem.reason,
      ...(problem.content !== undefined ? { content: problem.content } : {}),
    })),
    attachments: decoded.attachments,
    warnings: decoded.warnings,
    data: undefined,
  };

  for (const dataset of setup.tables.outputs) {
    const rows = decoded.rowsByTable.get(dataset.table) ?? [];
    const valid: Row[] = [];
    for (const [index, row] of rows.entries()) {
      const problem = validateRow(dataset, row, index);
      if (!problem) {
        valid.push(row);
        continue;
      }
      const field = problem.position?.field;
      staged.problems.push({
        position: { file: recordId, record: index, ...(field ? { field } : {}) },
        stage: 'validate',
        reason: `${dataset.table}: ${problem.message}`,
      });
    }
    if (valid.length === 0) continue;
    staged.rowsByTable.set(dataset.table, valid);
    staged.rowCount += valid.length;
  }
  if (staged.problems.length > 0) staged.data = record.data;
  return staged;
}

async function decodeRecord(
  setup: StreamPipelineSetup,
  record: StreamRecordInput,
  recordId: string,
  ingestedAt: Date,
): Promise<DecodedFile> {
  const format = setup.pipeline.decode.format;
  if (format === 'raw' && setup.rawDataset) {
    const decoded = emptyDecodedFile();
    decoded.records = 1;
    decoded.rowsByTable.set(setup.rawDataset.table, [
      rawStreamRow(setup.rawDataset, setup.source.stream, record, ingestedAt),
    ]);
    return decoded;
  }

  const recordFormat = format === 'auto' ? formatOfRecord(record.data) : format;
  const context: DecodeContext = {
    landingKey: recordId,
    ingestedAt,
    mode: setup.pipeline.decode.mode,
    controlIds: setup.controlIds,
    conformance: setup.conformance,
    ...(setup.hl7Mappings ? { hl7Mappings: setup.hl7Mappings } : {}),
    ...(setup.conformanceChecker ? { conformanceChecker: setup.conformanceChecker } : {}),
    ...(setup.tables.fhirViews ? { fhirViews: setup.tables.fhirViews } : {}),
  };
  if (recordFormat === 'hl7v2') return decodeHl7(record.data, context);
  if (recordFormat === 'fhir') return decodeFhir(record.data, false, context);

  const decoded = emptyDecodedFile();
  decoded.records = 1;
  decoded.problems.push({
    position: {},
    reason: `unknown-format: decode.format is ${format}, and the record starts with neither MSH (HL7 v2) nor { (FHIR JSON)`,
  });
  return decoded;
}
