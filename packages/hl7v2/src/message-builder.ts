import { checkMessageContent } from './content-checks';
import { readDelimiters } from './delimiters';
import { rangeOf, type EnvelopeSegment, type MessageUnit } from './envelope';
import type { MessageFinding } from './finding';
import {
  CHARACTER_SET,
  CONTROL_ID,
  readRequiredHeaderValues,
  type RequiredHeaderValues,
} from './header-values';
import type { IssueLog } from './issue-log';
import { extendPosition, type Hl7IssueCode, type Hl7Position } from './issues';
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
  { key: 'messageCode', field: 'MSH-9', name: 'message type' },
  { key: 'controlId', field: 'MSH-10', name: 'message control id' },
  { key: 'versionId', field: 'MSH-12', name: 'version id' },
] as const;

/** Reason for rejecting a message. Its position leaves out the record, which `build` adds. */
interface Rejection {
  rejected: true;
  code: Hl7IssueCode;
  reason: string;
  position: Hl7Position;
  hint?: string;
}

type IndexedSegment = LabeledSegment & { segmentIndex: number };

/**
 * Turns the segments of one message into an `Hl7Message`: reads its delimiters, checks its
 * terminators, decodes its bytes and checks the required MSH fields. A message that fails
 * becomes one problem, for the first reason found, carrying its text for quarantine. A message
 * that parses is also checked for damaged values and for its structure, with warnings only.
 */
export class MessageBuilder {
  /** Created with the first envelope, because most inputs have none. */
  private envelopeHeaders: Map<EnvelopeSegment, Hl7Segment | undefined> | undefined;

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
      position: extendPosition(result.position, { record: unit.index }),
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
      return rejection(
        read.code,
        read.reason,
        extendPosition(headerPosition, { field: read.field }),
      );
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
    const rawControlId = rawHeader.valueAt(CONTROL_ID);
    const controlId = rawControlId ?? undefined;
    const base: Hl7Position = { record: unit.index };
    if (controlId !== undefined) base.controlId = controlId;

    const labeled = labelSegments(unit.segments);
    const terminatorRejection = this.checkTerminators(unit, labeled, base);
    if (terminatorRejection) return terminatorRejection;

    const decoded = decodeMessageText(
      unit.segments,
      () => rawHeader.valueAt(CHARACTER_SET) ?? undefined,
      this.charsets,
      this.mode,
    );
    if ('rejected' in decoded) {
      return rejection(
        decoded.rejected,
        decoded.reason,
        headerFieldPosition(headerPosition, base, 'MSH-18'),
        decoded.hint,
      );
    }
    for (const note of decoded.notes) {
      this.log.addWarning({
        code: note.code,
        reason: `message ${unit.index}: ${note.reason}`,
        position: headerFieldPosition(headerPosition, base, 'MSH-18'),
      });
    }

    const message = new Hl7Message({
      index: unit.index,
      segments: labeled.map(({ segment, occurrence }, index) => {
        const text = decoded.texts[index] ?? '';
        // When decoding leaves the header as read (a string, or ASCII bytes), the header
        // segment already read is kept, with the field separators it has found.
        if (index === 0 && text === headerText) return rawHeader;
        return new Hl7Segment({ text, delimiters, index, occurrence, line: segment.line });
      }),
      delimiters,
      charset: decoded.charset,
      range: rangeOf(unit.segments),
      fileHeader: unit.fileHeader && this.envelopeHeader(unit.fileHeader),
      batchHeader: unit.batchHeader && this.envelopeHeader(unit.batchHeader),
    });
    // MSH-10 was read before decoding, and is read again only when decoding changed the header.
    const headerValues = readRequiredHeaderValues(
      message.header,
      message.header === rawHeader ? rawControlId : message.header.valueAt(CONTROL_ID),
    );
    const requiredRejection = this.checkRequiredFields(message, headerValues, headerPosition, base);
    if (requiredRejection) return requiredRejection;

    this.reportByteOrderMarks(labeled, base);
    this.reportFindings(message, headerValues, base);
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
    values: RequiredHeaderValues,
    headerPosition: Hl7Position,
    base: Hl7Position,
  ): Rejection | undefined {
    for (const required of REQUIRED_HEADER_FIELDS) {
      const value = values[required.key];
      if (value !== undefined && value !== null) continue;

      const position = headerFieldPosition(headerPosition, base, required.field);
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

  private reportByteOrderMarks(labeled: readonly IndexedSegment[], base: Hl7Position): void {
    for (const { segment, occurrence, segmentIndex } of labeled) {
      if (!segment.skippedByteOrderMark) continue;
      const label = formatSegmentLabel(segment.id, occurrence);
      this.log.addWarning({
        code: 'embedded-byte-order-mark',
        reason: `message ${base.record}: a byte-order mark before segment ${segmentIndex} at line ${segment.line} is skipped`,
        position: extendPosition(base, { line: segment.line, segment: label, segmentIndex }),
      });
    }
  }

  /** Report the content and structure findings of a parsed message as warnings. */
  private reportFindings(
    message: Hl7Message,
    headerValues: RequiredHeaderValues,
    base: Hl7Position,
  ): void {
    for (const finding of checkMessageContent(message)) {
      this.reportFinding(message, base, finding);
    }
    for (const finding of checkMessageStructure(message, headerValues)) {
      this.reportFinding(message, base, finding);
    }
  }

  private reportFinding(message: Hl7Message, base: Hl7Position, finding: MessageFinding): void {
    const { code, reason, segmentIndex, count, ...coordinates } = finding;
    const segment = segmentIndex === undefined ? undefined : message.segments[segmentIndex];
    const position = extendPosition(base, { line: (segment ?? message.header).line });
    if (segment !== undefined) {
      position.segment = segment.label;
      position.segmentIndex = segmentIndex;
    }
    this.log.addWarning({
      code,
      reason: `message ${message.index}: ${reason}`,
      position: extendPosition(position, coordinates),
      ...(count === undefined ? {} : { count }),
    });
  }

  /** Parse the FHS or BHS around a message once, with its own delimiters; undefined when they are invalid. */
  private envelopeHeader(envelope: EnvelopeSegment): Hl7Segment | undefined {
    this.envelopeHeaders ??= new Map();
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

/** Position of an MSH field, built only when a warning or a rejection names it. */
function headerFieldPosition(
  headerPosition: Hl7Position,
  base: Hl7Position,
  field: string,
): Hl7Position {
  return extendPosition(extendPosition(headerPosition, base), { field });
}

function rejection(
  code: Hl7IssueCode,
  reason: string,
  position: Hl7Position,
  hint?: string,
): Rejection {
  return { rejected: true, code, reason, position, hint };
}

/** Messages up to this many segments count occurrences by looking back instead of in a map. */
const MAX_SEGMENTS_COUNTED_BACK = 32;

function labelSegments(segments: readonly ScannedSegment[]): IndexedSegment[] {
  if (segments.length > MAX_SEGMENTS_COUNTED_BACK) return labelSegmentsWithMap(segments);
  // Looking back through a short message costs less than building a map, because segment ids
  // are shared strings that compare by reference.
  return segments.map((segment, segmentIndex) => {
    let occurrence = 1;
    for (let earlier = 0; earlier < segmentIndex; earlier++) {
      if (segments[earlier]?.id === segment.id) occurrence += 1;
    }
    return { segment, occurrence, segmentIndex };
  });
}

function labelSegmentsWithMap(segments: readonly ScannedSegment[]): IndexedSegment[] {
  const occurrences = new Map<string, number>();
  return segments.map((segment, segmentIndex) => {
    const occurrence = (occurrences.get(segment.id) ?? 0) + 1;
    occurrences.set(segment.id, occurrence);
    return { segment, occurrence, segmentIndex };
  });
}
