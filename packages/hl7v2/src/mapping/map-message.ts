import type { Row } from '@carelake/core';
import type { Hl7Message } from '../message';
import type { Hl7Attachment } from './attachments';
import { MessageMapping, type Hl7MappingContext } from './mapping-context';
import type { RawHl7SegmentRow } from './rows';
import { mapSegmentRows } from './segment-rows';
import type { Hl7MappingWarning } from './warnings';

export interface Hl7MappedRows {
  /** raw.hl7v2_segments: every segment, mapped in code so that nothing the sender sent is lost. */
  segments: RawHl7SegmentRow[];
  /** Rows of the tables the mapping files feed, by `database.table`; empty without mapping files. */
  tables: Map<string, Row[]>;
  /** Values kept out of the rows (ED data, large RP and document text), once per content. */
  attachments: Hl7Attachment[];
  /** Values that mapped to null, and a reused control id, each naming the message and field. */
  warnings: Hl7MappingWarning[];
}

/** Map one parsed message to raw.hl7v2_segments and to the tables of the mapping files. */
export function mapHl7Message(message: Hl7Message, context: Hl7MappingContext): Hl7MappedRows {
  const mapping = new MessageMapping(message, context);
  checkControlId(mapping);
  const segments = mapSegmentRows(mapping);
  const tables = context.mappings?.mapMessage(mapping) ?? new Map<string, Row[]>();
  return {
    segments,
    tables,
    attachments: [...mapping.attachments.values()],
    warnings: mapping.warnings,
  };
}

/** Warn when the message's control id came earlier in the run with other content. */
function checkControlId(mapping: MessageMapping): void {
  const { facts, message, context } = mapping;
  if (context.controlIds === undefined || facts.controlId === null) return;

  const check = context.controlIds.record(
    {
      sendingApplication: facts.sendingApplication,
      sendingFacility: facts.sendingFacility,
      controlId: facts.controlId,
    },
    facts.messageHash,
    { file: context.sourceFile, messageIndex: message.index },
  );
  if (check.status !== 'reused') return;
  const first =
    check.first.file === context.sourceFile
      ? `message ${check.first.messageIndex} of this file`
      : `message ${check.first.messageIndex} of ${check.first.file}`;
  mapping.warn(
    'control-id-reused',
    `MSH-10 repeats the control id of ${first} from the same sending application and facility, with other content; both messages are kept`,
    message.header,
    'MSH-10',
  );
}
