import type { ErrorPosition } from '@carelake/core';
import { charsetForMsh18, DEFAULT_CHARSET, isSingleByteCharset } from './charset';
import { readDelimiters, type Hl7Delimiters } from './delimiters';
import type { EnvelopeSegment, MessageUnit } from './envelope';
import type { Hl7Input } from './input';
import type { IssueLog } from './issue-log';
import type { Hl7IssueCode } from './issues';
import { Hl7Message } from './message';
import type { Hl7ParseMode } from './options';
import { formatSegmentLabel } from './path';
import type { ScannedSegment } from './scan';
import { Hl7Segment } from './segment';
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

const SUPPORTED_CHARSETS_HINT =
  'Supported MSH-18 values: ASCII, UNICODE UTF-8, 8859/1 to 8859/9, 8859/15, cp1252, ' +
  'GB 18030-2000, BIG-5, KS X 1001 and ISO IR87.';

/** Reason for rejecting a message. Its position leaves out the record, which `build` adds. */
interface Rejection {
  rejected: true;
  code: Hl7IssueCode;
  reason: string;
  position: ErrorPosition;
  hint?: string;
}

interface DecodedTexts {
  texts: string[];
  charset: string | undefined;
}

type LabeledWithOccurrence = LabeledSegment & { occurrence: number };

/**
 * Turns the segments of one message into an `Hl7Message`: reads its delimiters, checks its
 * terminators, decodes its bytes and checks the required MSH fields. A message that fails
 * becomes one problem, for the first reason found, carrying its text for quarantine.
 */
export class MessageBuilder {
  private readonly envelopeHeaders = new Map<EnvelopeSegment, Hl7Segment | undefined>();

  constructor(
    private readonly input: Hl7Input,
    private readonly log: IssueLog,
    private readonly mode: Hl7ParseMode,
    private readonly terminators: TerminatorSummary,
  ) {}

  build(unit: MessageUnit): Hl7Message | undefined {
    const result = this.buildOrReject(unit);
    if (result instanceof Hl7Message) return result;

    const first = unit.segments[0];
    const last = unit.segments[unit.segments.length - 1];
    this.log.addProblem({
      code: result.code,
      reason: `message ${unit.index} is rejected: ${result.reason}`,
      position: { ...result.position, record: unit.index },
      hint: result.hint,
      text: unit.segments
        .map((segment) => this.input.decodeBestEffort(segment.start, segment.end))
        .join('\r'),
      range: this.input.range(first?.start ?? 0, last?.end ?? 0),
    });
    return undefined;
  }

  private buildOrReject(unit: MessageUnit): Hl7Message | Rejection {
    const [header] = unit.segments;
    if (!header) throw new Error('a message unit starts with its MSH segment');
    const headerPosition = { line: header.line, segment: 'MSH' };

    const read = readDelimiters(this.input.view.slice(header.start, header.end));
    if (!read.ok) {
      return rejection(read.code, read.reason, { ...headerPosition, field: read.field });
    }
    const delimiters = read.delimiters;

    const labeled = labelSegments(unit.segments);
    const terminatorRejection = this.checkTerminators(unit, labeled);
    if (terminatorRejection) return terminatorRejection;

    const decoded = this.decode(unit, delimiters);
    if ('rejected' in decoded) return decoded;

    const last = unit.segments[unit.segments.length - 1] ?? header;
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
      range: this.input.range(header.start, last.end),
      fileHeader: unit.fileHeader && this.envelopeHeader(unit.fileHeader),
      batchHeader: unit.batchHeader && this.envelopeHeader(unit.batchHeader),
    });
    return this.checkRequiredFields(message, headerPosition) ?? message;
  }

  private checkTerminators(
    unit: MessageUnit,
    labeled: readonly LabeledSegment[],
  ): Rejection | undefined {
    const issues = findTerminatorIssues(labeled, unit.emptySegmentLines);
    const [first] = issues;
    if (first && this.mode === 'strict') {
      return rejection(first.code, TERMINATOR_REASONS[first.code], first.position, TERMINATOR_HINT);
    }
    for (const issue of issues) {
      this.terminators.noteIssue({ ...issue, position: { ...issue.position, record: unit.index } });
    }
    this.terminators.noteSegments(labeled, unit.index);
    return undefined;
  }

  /**
   * Decode the message's bytes in the charset MSH-18 names, else as UTF-8, falling back to
   * Windows-1252 when they are not valid UTF-8. Windows-1252 reads every printable ISO-8859-1
   * character the same way and also the 0x80-0x9F punctuation Windows senders write.
   */
  private decode(unit: MessageUnit, delimiters: Hl7Delimiters): DecodedTexts | Rejection {
    const spans = unit.segments;
    if (this.input.bytes === undefined) {
      return {
        texts: spans.map((span) => this.input.view.slice(span.start, span.end)),
        charset: undefined,
      };
    }

    const resolved = this.resolveCharset(unit, delimiters);
    if ('rejected' in resolved) return resolved;
    const position = { line: spans[0]?.line, record: unit.index, segment: 'MSH', field: 'MSH-18' };
    const declared = resolved.charset;
    const utf8Texts = spans.map((span) => this.input.decodeUtf8(span.start, span.end));
    const isUtf8 = utf8Texts.every((text): text is string => text !== undefined);

    if (declared !== undefined && declared !== DEFAULT_CHARSET) {
      // Interface engines often re-encode messages to UTF-8 and leave MSH-18 as it was. Text in a
      // single-byte charset almost never forms valid multi-byte UTF-8, so UTF-8 wins then.
      if (isUtf8 && isSingleByteCharset(declared) && this.hasNonAscii(spans)) {
        this.log.addWarning({
          code: 'charset-mismatch',
          reason: `MSH-18 of message ${unit.index} declares ${declared} but its bytes are valid UTF-8 with non-ASCII text; decoded as UTF-8`,
          position,
        });
        return { texts: utf8Texts, charset: DEFAULT_CHARSET };
      }
      return {
        texts: spans.map((span) => this.input.decode(span.start, span.end, declared)),
        charset: declared,
      };
    }

    if (isUtf8) return { texts: utf8Texts, charset: DEFAULT_CHARSET };
    const fallback = 'windows-1252';
    this.log.addWarning({
      code: 'invalid-utf8',
      reason: `message ${unit.index} is not valid UTF-8 and MSH-18 names no other charset; decoded as ${fallback}`,
      position,
    });
    return {
      texts: spans.map((span) => this.input.decode(span.start, span.end, fallback)),
      charset: fallback,
    };
  }

  /** Find the charset MSH-18 names; undefined when it is empty or, in lenient mode, unsupported. */
  private resolveCharset(
    unit: MessageUnit,
    delimiters: Hl7Delimiters,
  ): { charset: string | undefined } | Rejection {
    const [header] = unit.segments;
    if (!header) return { charset: undefined };
    // MSH-18 is read from the one-character-per-byte view, because the values it can take are ASCII.
    // NOTE: in BIG-5, GB 18030 and ISO IR87, a character before MSH-18 whose second byte equals the
    // field separator would shift the fields, so such a header would be misread.
    const headerView = new Hl7Segment({
      text: this.input.view.slice(header.start, header.end),
      delimiters,
      index: 0,
      occurrence: 1,
      line: header.line,
    });
    const msh18 = headerView.get('18');
    if (msh18 === undefined || msh18 === null) return { charset: undefined };

    const charset = charsetForMsh18(msh18);
    if (charset !== undefined) return { charset };

    const position = { line: header.line, segment: 'MSH', field: 'MSH-18' };
    const reason = 'MSH-18 names a character set this parser does not decode';
    if (this.mode === 'strict') {
      return rejection('unsupported-charset', reason, position, SUPPORTED_CHARSETS_HINT);
    }
    this.log.addWarning({
      code: 'unsupported-charset',
      reason: `${reason}; message ${unit.index} is decoded as UTF-8`,
      position: { ...position, record: unit.index },
    });
    return { charset: undefined };
  }

  private hasNonAscii(spans: readonly ScannedSegment[]): boolean {
    return spans.some((span) => /[\x80-\xff]/.test(this.input.view.slice(span.start, span.end)));
  }

  private checkRequiredFields(
    message: Hl7Message,
    headerPosition: ErrorPosition,
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
        position: { ...position, record: message.index },
      });
    }
    return undefined;
  }

  /** Parse the FHS or BHS around a message once, with its own delimiters; undefined when they are invalid. */
  private envelopeHeader(envelope: EnvelopeSegment): Hl7Segment | undefined {
    if (this.envelopeHeaders.has(envelope)) return this.envelopeHeaders.get(envelope);
    const { segment, occurrence } = envelope;
    const text = this.input.decodeBestEffort(segment.start, segment.end);
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
  position: ErrorPosition,
  hint?: string,
): Rejection {
  return { rejected: true, code, reason, position, hint };
}

function labelSegments(segments: readonly ScannedSegment[]): LabeledWithOccurrence[] {
  const occurrences = new Map<string, number>();
  return segments.map((segment) => {
    const occurrence = (occurrences.get(segment.id) ?? 0) + 1;
    occurrences.set(segment.id, occurrence);
    return { segment, label: formatSegmentLabel(segment.id, occurrence), occurrence };
  });
}
