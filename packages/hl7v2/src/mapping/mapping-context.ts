import { canonicalJson, sha256Hex } from '@carelake/core';
import type { Hl7IssueCode, Hl7Warning } from '../issues';
import type { Hl7Message } from '../message';
import type { Hl7Segment, Hl7Value } from '../segment';
import { parseHl7Date, parseHl7Timestamp } from '../timestamp';
import type { ClinicalLineage } from './rows';

export interface Hl7MappingContext {
  /** Landing key of the file the message came from. */
  sourceFile: string;
  /** When the runner ingests the rows; stored as `ingested_at`. */
  ingestedAt: Date;
}

/** Values of the MSH that every row of a message shares. */
export interface MessageFacts {
  messageHash: string;
  controlId: string | null;
  messageCode: string;
  triggerEvent: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  /** `MSH-3.1^MSH-4.1`, null when both are empty. */
  sourceSystem: string | null;
  versionId: string | null;
  eventTime: Date | null;
}

/**
 * The state one message's mapping shares: its MSH facts, its lineage columns and the warnings
 * raised while reading values.
 */
export class MessageMapping {
  readonly facts: MessageFacts;
  readonly lineage: ClinicalLineage;
  readonly warnings: Hl7Warning[] = [];

  constructor(
    readonly message: Hl7Message,
    readonly context: Hl7MappingContext,
  ) {
    const header = message.header;
    const sendingApplication = cleanText(header.get('3'));
    const sendingFacility = cleanText(header.get('4'));
    this.facts = {
      messageHash: sha256Hex(message.text),
      controlId: cleanText(header.get('10')),
      messageCode: cleanText(header.get('9.1')) ?? 'unknown',
      triggerEvent: cleanText(header.get('9.2')),
      sendingApplication,
      sendingFacility,
      sourceSystem:
        sendingApplication === null && sendingFacility === null
          ? null
          : `${sendingApplication ?? ''}^${sendingFacility ?? ''}`,
      versionId: cleanText(header.get('12.1')),
      eventTime: this.readTimestamp(header, 7),
    };
    this.lineage = {
      source_format: 'hl7v2',
      source_system: this.facts.sourceSystem,
      source_id: this.facts.controlId,
      source_file: context.sourceFile,
      source_position: message.index,
      ingested_at: context.ingestedAt,
      facility: sendingFacility,
    };
  }

  /**
   * SHA-256 of the record's identity: sending system, control id, the hash of the whole message
   * text and the record's place in the message. The same message sent twice hashes the same; a
   * control id reused for other content does not.
   */
  recordHash(place: Record<string, number>): string {
    return sha256Hex(
      canonicalJson({
        source_system: this.facts.sourceSystem,
        message_control_id: this.facts.controlId,
        message_hash: this.facts.messageHash,
        ...place,
      }),
    );
  }

  /** Read a timestamp field as a UTC `Date`; an invalid value maps to null with a warning. */
  readTimestamp(segment: Hl7Segment, field: number): Date | null {
    return this.readTemporal(segment, field, parseHl7Timestamp, 'timestamp');
  }

  /** Read a date (or the date part of a timestamp) as a `Date` at UTC midnight. */
  readDate(segment: Hl7Segment, field: number): Date | null {
    return this.readTemporal(segment, field, parseHl7Date, 'date');
  }

  warn(code: Hl7IssueCode, reason: string, segment: Hl7Segment, field: number): void {
    this.warnings.push({
      code,
      reason: `message ${this.message.index}: ${reason}`,
      position: {
        file: this.context.sourceFile,
        line: segment.line,
        record: this.message.index,
        segment: segment.label,
        field: `${segment.id}-${field}`,
      },
    });
  }

  private readTemporal(
    segment: Hl7Segment,
    field: number,
    parse: (text: string) => Date | undefined,
    kind: 'date' | 'timestamp',
  ): Date | null {
    const text = cleanText(segment.get(`${field}`));
    if (text === null) return null;
    const value = parse(text);
    if (value !== undefined) return value;
    this.warn(
      'invalid-date',
      `${segment.id}-${field} is not a valid HL7 ${kind} (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ] naming a real date); mapped to null`,
      segment,
      field,
    );
    return null;
  }
}

/** Trim a value for a curated column; empty text and the HL7 null `""` become null. */
export function cleanText(value: Hl7Value): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
