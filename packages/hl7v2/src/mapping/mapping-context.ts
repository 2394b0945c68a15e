import { canonicalJson, sha256Hex } from '@carelake/core';
import type { Hl7Message } from '../message';
import type { Hl7Segment, Hl7Value } from '../segment';
import type { Hl7Attachment } from './attachments';
import type { ControlIdRegistry } from './control-id-registry';
import type { Hl7MappingSet } from './compile/mapping-set';
import type { ClinicalLineage } from './rows';
import type { Hl7MappingIssueCode, Hl7MappingWarning } from './warnings';

export interface Hl7MappingContext {
  /** Landing key of the file the message came from. */
  sourceFile: string;
  /** When the runner ingests the rows; stored as `ingested_at`. */
  ingestedAt: Date;
  /** The compiled mapping files; without them only raw.hl7v2_segments is mapped. */
  mappings?: Hl7MappingSet;
  /** Control ids seen so far in the run, to warn when one is reused for other content. */
  controlIds?: ControlIdRegistry;
}

/** Values of the MSH that every row of a message shares. */
export interface MessageFacts {
  messageHash: string;
  controlId: string | null;
  /** MSH-10, or `sha256-<message hash>` when it is empty. */
  messageId: string;
  messageCode: string;
  /** MSH-9.2, or EVN-1 when MSH-9.2 is empty. */
  triggerEvent: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  /** `MSH-3.1^MSH-4.1`, null when both are empty. */
  sourceSystem: string | null;
  versionId: string | null;
}

/**
 * The state one message's mapping shares: its MSH facts, its lineage columns, and the warnings
 * and attachments produced while reading values.
 */
export class MessageMapping {
  readonly facts: MessageFacts;
  readonly lineage: ClinicalLineage;
  readonly warnings: Hl7MappingWarning[] = [];
  /** Attachments by key; two values with the same content are stored once. */
  readonly attachments = new Map<string, Hl7Attachment>();
  private readonly warned = new Set<string>();
  private timestampWithoutOffsetFlagged = false;
  private identity: string | undefined;
  private segmentJson: [string, string] | undefined;

  constructor(
    readonly message: Hl7Message,
    readonly context: Hl7MappingContext,
  ) {
    const header = message.header;
    const sendingApplication = cleanText(header.get('3'));
    const sendingFacility = cleanText(header.get('4'));
    const messageHash = sha256Hex(message.text);
    const controlId = cleanText(header.get('10'));
    this.facts = {
      messageHash,
      controlId,
      messageId: controlId ?? `sha256-${messageHash}`,
      messageCode: cleanText(header.get('9.1')) ?? 'unknown',
      triggerEvent: cleanText(header.get('9.2')) ?? cleanText(message.segment('EVN')?.get('1')),
      sendingApplication,
      sendingFacility,
      sourceSystem:
        sendingApplication === null && sendingFacility === null
          ? null
          : `${sendingApplication ?? ''}^${sendingFacility ?? ''}`,
      versionId: cleanText(header.get('12.1')),
    };
    this.lineage = {
      source_format: 'hl7v2',
      source_system: this.facts.sourceSystem,
      source_id: controlId,
      source_file: context.sourceFile,
      source_position: message.index,
      ingested_at: context.ingestedAt,
      facility: sendingFacility,
    };
  }

  /**
   * SHA-256 identifying a raw segment row: the canonical JSON of the sending system, control id,
   * message hash and segment index. The same message sent twice hashes the same; a control id
   * reused for other content does not. The JSON around the index is written once per message,
   * because every segment is hashed.
   */
  segmentHash(segmentIndex: number): string {
    if (this.segmentJson === undefined) {
      const { controlId, messageHash, sourceSystem } = this.facts;
      // The keys in the sorted order canonicalJson writes them.
      this.segmentJson = [
        `{"message_control_id":${JSON.stringify(controlId)},"message_hash":${JSON.stringify(messageHash)},"segment_index":`,
        `,"source_system":${JSON.stringify(sourceSystem)}}`,
      ];
    }
    return sha256Hex(`${this.segmentJson[0]}${segmentIndex}${this.segmentJson[1]}`);
  }

  /**
   * SHA-256 identifying a clinical row: the sending system, control id and message hash, the
   * table and the index of the row's segment. The identity is serialized once per message,
   * because every row of every table hashes it.
   */
  rowHash(table: string, segmentIndex: number): string {
    this.identity ??= canonicalJson({
      source_system: this.facts.sourceSystem,
      message_control_id: this.facts.controlId,
      message_hash: this.facts.messageHash,
    });
    return sha256Hex(`${this.identity}|${table}|${segmentIndex}`);
  }

  /**
   * Record a warning about a field of a segment, once per code, segment and field in the
   * message, so that a bad MSH-7 read by every row warns once.
   */
  warn(
    code: Hl7MappingIssueCode,
    reason: string,
    segment: Hl7Segment | undefined,
    field: string | undefined,
  ): void {
    const key = `${code}|${segment?.index ?? ''}|${field ?? ''}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push({
      code,
      reason: `message ${this.message.index}: ${reason}`,
      position: {
        file: this.context.sourceFile,
        record: this.message.index,
        ...(segment ? { line: segment.line, segment: segment.label } : {}),
        ...(field ? { field } : {}),
      },
    });
  }

  /**
   * Warn that a timestamp without a UTC offset was read as UTC because no sender time zone is
   * configured. Only the first such value of a message is reported. The mapping calls this for
   * every such value, so later calls return at once and build nothing.
   * @param subject The field read, such as `PV1-44`, or the column's template when there is none.
   * @param table The table of the column that got the value, such as `clinical.encounters`.
   * @param column That column, such as `admit_time`; the two are joined only when warning.
   */
  flagTimestampWithoutOffset(
    segment: Hl7Segment | undefined,
    field: string | undefined,
    subject: string,
    table: string,
    column: string,
  ): void {
    if (this.timestampWithoutOffsetFlagged) return;
    this.timestampWithoutOffsetFlagged = true;
    this.warn(
      'timestamp-without-offset',
      `${subject} has no UTC offset and no sender time zone is configured, so ${table}.${column} reads it as UTC; later timestamps of this message without an offset are read the same way and not listed. Set the sender's IANA time zone (decode.timeZone in the pipeline file)`,
      segment,
      field,
    );
  }

  addAttachment(attachment: Hl7Attachment): void {
    if (!this.attachments.has(attachment.key)) this.attachments.set(attachment.key, attachment);
  }
}

/** Trim a value for a curated column; empty text and the HL7 null `""` become null. */
export function cleanText(value: Hl7Value): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
