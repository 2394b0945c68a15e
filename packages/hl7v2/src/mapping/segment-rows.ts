import { cleanText, type MessageMapping } from './mapping-context';
import type { RawHl7SegmentRow } from './rows';

/**
 * Map every segment to a raw.hl7v2_segments row, its text as received. The MSH columns hold the first
 * component of each field (HD namespace id for MSH-3 and MSH-4), as the clinical lineage does.
 */
export function mapSegmentRows(mapping: MessageMapping): RawHl7SegmentRow[] {
  const { facts, message, context } = mapping;
  // MSH-9.2 as sent: the clinical mappings fall back to EVN-1, the raw table does not.
  const triggerEvent = cleanText(message.header.get('9.2'));
  return message.segments.map((segment) => ({
    message_hash: facts.messageHash,
    message_control_id: facts.controlId,
    message_code: facts.messageCode,
    trigger_event: triggerEvent,
    sending_application: facts.sendingApplication,
    sending_facility: facts.sendingFacility,
    version_id: facts.versionId,
    segment_index: segment.index,
    segment_id: segment.id,
    segment_text: segment.text,
    record_hash: mapping.segmentHash(segment.index),
    source_file: context.sourceFile,
    source_position: message.index,
    ingested_at: context.ingestedAt,
  }));
}
