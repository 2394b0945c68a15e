import { checkMessageContent } from './content-checks';
import { readDelimiters } from './delimiters';
import { rangeOf, type EnvelopeSegment, type MessageUnit } from './envelope';
import type { IssueLog } from './issue-log';
import type { Hl7IssueCode, Hl7Position } from './issues';
import { Hl7Message } from './message';
import { decodeMessageText, type CharsetSettings } from './message-charset';
import type { Hl7ParseMode } from './options';
import { formatSegmentLabel } from './path';
import type { ScannedSegment } from './scan';
import { Hl7Segment } from './segment';
import { checkMessageStructure } from './structure';
import {
  findTerminatorIssues,
  TERMINATOR_HINT,
  TERMINATOR_REASONS,
  type LabeledSegment,
  type TerminatorSummary,
} from './terminators';

/** MSH fields the standard requires and the mappings rely on. */
const REQUIRED_HEADER_FIELDS = [
  { path: 'MSH-9.1', field: 'MSH-9', name: 'message type' },
  { path: 'MSH-10', field: 'MSH-10', name: 'message control id' },
  { path: 'MSH-12.1', field: 'MSH-12', name: 'version id' },
] as const;

/** Reason for rejecting a message. Its position leaves out the record, which `build` adds. */
interface Rejection {
  rejected: true;
  code: Hl7IssueCode;
  reason: string;
  position: Hl7Position;
  hint?: string;
}

type LabeledWithOccurrence = LabeledSegment & { occurrence: number; segmentIndex: number };

/**
 * Turns the segments of one message into an `Hl7Message`: reads its delimiters, checks its
 * terminators, decodes its bytes and checks the required MSH fields. A message that fails
 * becomes one problem, for the first reason found, carrying its text for quarantine. A message
 * that parses is also checked for damaged values and for its structure, with warnings only.
 */
export class MessageBuilder {
  private readonly envelopeHeaders = new Map<EnvelopeSegment, Hl7Segment | undefined>();

  constructor(
    private readonly log: IssueLog,
    private readonly mode: Hl7ParseMode,
    private readonly terminators: TerminatorSummary,
    private readonly charsets: CharsetSettings,
  ) {}

  build(unit: MessageUnit): Hl7Message | undefined {
    const result = this.buildOrReject(unit);
    if (result instanceof Hl7Message) return result;

    this.log.addProblem({
      code: result.code,
      reason: `message ${unit.index} is rejected: ${result.reason}`,
      position: { ...result.position, record: unit.index },
      hint: result.hint,
      text: unit.segments
        .map((segment) => segment.input.decodeBestEffort(segment.start, segment.end))
        .join('\r'),
      range: rangeOf(unit.segments),
    });
    return undefined;
  }

  private buildOrReject(unit: MessageUnit): Hl7Message | Rejection {
    const [header] = unit.segments;
    if (!header) throw new Error('a message unit starts with its MSH segment');
    const headerText = header.input.view.slice(header.start, header.end);
    const headerPosition = { line: header.line, segment: 'MSH', segmentIndex: 0 };

    const read = readDelimiters(headerText);
    if (!read.ok) {
      return rejection(read.code, read.reason, { ...headerPosition, field: read.field });
    }
    const delimiters = read.delimiters;

    // The header is read one character per byte before decoding: MSH-10 and MSH-18 are ASCII.
    // NOTE: in BIG-5, GB 18030 and ISO IR87, a character before MSH-18 whose second byte equals
    // the field separator would shift the fields, so such a header would be misread.
    const rawHeader = new Hl7Segment({
      text: headerText,
      delimiters,
      index: 0,
      occurrence: 1,
      line: header.line,
    });
    const controlId = rawHeader.get('10') ?? undefined;
    const base: Hl7Position = { record: unit.index };
    if (controlId !== undefined) base.controlId = controlId;

    const labeled = labelSegments(unit.segments);
    const terminatorRejection = this.checkTerminators(unit, labeled, base);
    if (terminatorRejection) return terminatorRejection;

    const decoded = decodeMessageText(
      unit.segments,
      rawHeader.get('18') ?? undefined,
      this.charsets,
      this.mode,
    );
    if ('rejected' in decoded) {
      return rejection(
        decoded.rejected,
        decoded.reason,
        { ...headerPosition, ...base, field: 'MSH-18' },
        decoded.hint,
      );
    }
    for (const note of decoded.notes) {
      this.log.addWarning({
        code: note.code,
        reason: `message ${unit.index}: ${note.reason}`,
        position: { ...headerPosition, ...base, field: 'MSH-18' },
      });
    }

    const message = new Hl7Message({
      index: unit.index,
      segments: labeled.map(
        ({ segment, occurrence }, index) =>
          new Hl7Segment({
            text: decoded.texts[index] ?? '',
            delimiters,
            index,
            occurrence,
            line: segment.line,
          }),
      ),
      delimiters,
      charset: decoded.charset,
      range: rangeOf(unit.segments),
      fileHeader: unit.fileHeader && this.envelopeHeader(unit.fileHeader),
      batchHeader: unit.batchHeader && this.envelopeHeader(unit.batchHeader),
    });
    const requiredRejection = this.checkRequiredFields(message, { ...headerPosition, ...base });
    if (requiredRejection) return requiredRejection;

    this.reportByteOrderMarks(labeled, base);
    this.reportFindings(message, base);
    return message;
  }

  private checkTerminators(
    unit: MessageUnit,
    labeled: readonly LabeledSegment[],
    base: Hl7Position,
  ): Rejection | undefined {
    const issues = findTerminatorIssues(labeled, unit.emptySegmentLines, base);
    const [first] = issues;
    if (first && this.mode === 'strict') {
      return rejection(first.code, TERMINATOR_REASONS[first.code], first.position, TERMINATOR_HINT);
    }
    for (const issue of issues) this.terminators.noteIssue(issue);
    this.terminators.noteSegments(labeled, base);
    return undefined;
  }

  private checkRequiredFields(
    message: Hl7Message,
    headerPosition: Hl7Position,
  ): Rejection | undefined {
    for (const required of REQUIRED_HEADER_FIELDS) {
      const value = message.get(required.path);
      if (value !== undefined && value !== null) continue;

      const position = { ...headerPosition, field: required.field };
      const reason = `${required.field} (${required.name}) is empty`;
      if (this.mode === 'strict') {
        return rejection(
          'missing-required-field',
          reason,
          position,
          'Ask the sender to fill the MSH fields the standard requires.',
        );
      }
      this.log.addWarning({
        code: 'missing-required-field',
        reason: `message ${message.index}: ${reason}`,
        position,
      });
    }
    return undefined;
  }

  private reportByteOrderMarks(labeled: readonly LabeledWithOccurrence[], base: Hl7Position): void {
    for (const { segment, label, segmentIndex } of labeled) {
      if (!segment.skippedByteOrderMark) continue;
      this.log.addWarning({
        code: 'embedded-byte-order-mark',
        reason: `message ${base.record}: a byte-order mark before segment ${segmentIndex} at line ${segment.line} is skipped`,
        position: { ...base, line: segment.line, segment: label, segmentIndex },
      });
    }
  }

  /** Report the content and structure findings of a parsed message as warnings. */
  private reportFindings(message: Hl7Message, base: Hl7Position): void {
    for (const finding of [...checkMessageContent(message), ...checkMessageStructure(message)]) {
      const { code, reason, segmentIndex, count, ...coordinates } = finding;
      const segment = segmentIndex === undefined ? undefined : message.segments[segmentIndex];
      const position: Hl7Position = { ...base, line: (segment ?? message.header).line };
      if (segment !== undefined) {
        position.segment = segment.label;
        position.segmentIndex = segmentIndex;
      }
      this.log.addWarning({
        code,
        reason: `message ${message.index}: ${reason}`,
        position: { ...position, ...coordinates },
        ...(count === undefined ? {} : { count }),
      });
    }
  }

  /** Parse the FHS or BHS around a message once, with its own delimiters; undefined when they are invalid. */
  private envelopeHeader(envelope: EnvelopeSegment): Hl7Segment | undefined {
    if (this.envelopeHeaders.has(envelope)) return this.envelopeHeaders.get(envelope);
    // A new BHS or FHS replaces the previous one, so memory stays flat over a long stream.
    for (const known of this.envelopeHeaders.keys()) {
      if (known.segment.id === envelope.segment.id) this.envelopeHeaders.delete(known);
    }
    const { segment, occurrence } = envelope;
    const text = segment.input.decodeBestEffort(segment.start, segment.end);
    const read = readDelimiters(text);
    const header = read.ok
      ? new Hl7Segment({
          text,
          delimiters: read.delimiters,
          index: 0,
          occurrence,
          line: segment.line,
        })
      : undefined;
    this.envelopeHeaders.set(envelope, header);
    return header;
  }
}

function rejection(
  code: Hl7IssueCode,
  reason: string,
  position: Hl7Position,
  hint?: string,
): Rejection {
  return { rejected: true, code, reason, position, hint };
}

function labelSegments(segments: readonly ScannedSegment[]): LabeledWithOccurrence[] {
  const occurrences = new Map<string, number>();
  return segments.map((segment, segmentIndex) => {
    const occurrence = (occurrences.get(segment.id) ?? 0) + 1;
    occurrences.set(segment.id, occurrence);
    return {
      segment,
      label: formatSegmentLabel(segment.id, occurrence),
      occurrence,
      segmentIndex,
    };
  });
}
