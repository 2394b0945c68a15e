import type { IssueLog } from './issue-log';
import type { Hl7IssueCode } from './issues';
import type { Hl7ParseMode } from './options';
import { formatSegmentLabel } from './path';
import type { ScannedItem, ScannedSegment } from './scan';
import {
  findTerminatorIssues,
  TERMINATOR_HINT,
  TERMINATOR_REASONS,
  type TerminatorSummary,
} from './terminators';

/** The segments of one message, before its delimiters and charset are read. */
export interface MessageUnit {
  /** 0-based index of the message in the input. */
  index: number;
  /** The MSH and the segments after it. */
  segments: ScannedSegment[];
  /** Lines of empty segments between the MSH and the next message or envelope segment. */
  emptySegmentLines: number[];
  fileHeader: EnvelopeSegment | undefined;
  batchHeader: EnvelopeSegment | undefined;
}

export interface EnvelopeSegment {
  segment: ScannedSegment;
  /** 1-based count of envelope segments with this id in the input, up to and including this one. */
  occurrence: number;
  /** `BHS`, `BHS[2]`, ...: the segment as positions name it. */
  label: string;
}

/** Segments that no MSH precedes, and why they ended up there. */
interface OrphanGroup {
  segments: ScannedSegment[];
  /** The envelope segment they follow, undefined at the start of the input. */
  after: EnvelopeSegment | undefined;
  /** Set when a nested BHS or FHS opened the group; the message it cut off, if any. */
  nested:
    | { header: EnvelopeSegment; cutOff: MessageUnit | undefined; openedBy: ScannedSegment }
    | undefined;
}

/**
 * Sorts scanned segments into messages and FHS/BHS ... BTS/FTS envelopes, one item at a time.
 * A file may hold one message, several with no envelope, batches, or a file envelope around
 * batches or bare messages. A message is complete when the next message or envelope segment
 * arrives, or at `finish`. `takeUnits` hands over the complete ones, so memory contains one open
 * message at a time. Envelope problems and the terminators of envelope segments are reported as
 * they are found.
 */
export class EnvelopeGrouper {
  private units: MessageUnit[] = [];
  /** Created with the first envelope segment, because most inputs have none. */
  private envelopeOccurrences: Map<string, number> | undefined;
  private fieldSeparator = '|';
  private nextMessageIndex = 0;
  private current: MessageUnit | undefined;
  private orphans: OrphanGroup | undefined;
  private lastEnvelope: EnvelopeSegment | undefined;
  private file: { header: EnvelopeSegment; batches: number; hasBareMessages: boolean } | undefined;
  private batch: { header: EnvelopeSegment; messages: number } | undefined;
  /** True once any segment has been added. */
  sawSegment = false;
  /** Blank lines before the first segment, reported only if a segment follows. */
  private leadingEmptyLines: number[] = [];

  constructor(
    private readonly log: IssueLog,
    private readonly mode: Hl7ParseMode,
    private readonly terminators: TerminatorSummary,
  ) {}

  /** Hand over the messages completed so far. */
  takeUnits(): MessageUnit[] {
    const units = this.units;
    this.units = [];
    return units;
  }

  add(item: ScannedItem): void {
    if (item.kind === 'empty') {
      if (this.current) this.current.emptySegmentLines.push(item.line);
      else if (this.sawSegment) this.noteStrayEmptyLine(item.line);
      else this.leadingEmptyLines.push(item.line);
      return;
    }
    if (!this.sawSegment) {
      // An input of blank lines only is reported once, as empty, so its lines wait until now.
      this.sawSegment = true;
      for (const line of this.leadingEmptyLines) this.noteStrayEmptyLine(line);
      this.leadingEmptyLines = [];
    }
    if (item.isHeader && item.end - item.start > 3) {
      this.fieldSeparator = item.input.view.charAt(item.start + 3);
    }

    // A header id without a header's shape (`MSH_MRN` at the start of the input) is no header.
    const envelopeId = item.isHeader || isTrailer(item.id) ? item.id : undefined;
    switch (envelopeId) {
      case 'MSH':
        return this.startMessage(item);
      case 'BHS':
        return this.openBatch(item);
      case 'FHS':
        return this.openFile(item);
      case 'BTS':
        return this.closeBatch(item);
      case 'FTS':
        return this.closeFile(item);
      default:
        if (this.current) this.current.segments.push(item);
        else this.addOrphan(item);
    }
  }

  /** Close what is still open at the end of the input and hand over the last messages. */
  finish(): MessageUnit[] {
    this.endMessage();
    this.endOrphans();
    if (this.batch) this.reportMissingBatchTrailer('the input ends');
    if (this.file) {
      this.reportEnvelopeIssue(
        'missing-file-trailer',
        `the FHS at line ${this.file.header.segment.line} has no FTS before the input ends`,
        {
          segment: this.file.header.label,
          line: this.file.header.segment.line,
        },
      );
    }
    return this.takeUnits();
  }

  private startMessage(segment: ScannedSegment): void {
    this.endMessage();
    this.endOrphans();
    this.current = {
      index: this.nextMessageIndex++,
      segments: [segment],
      emptySegmentLines: [],
      fileHeader: this.file?.header,
      batchHeader: this.batch?.header,
    };
    if (this.batch) this.batch.messages += 1;
    else if (this.file) this.file.hasBareMessages = true;
  }

  private openBatch(segment: ScannedSegment): void {
    const envelope = this.labelEnvelope(segment);
    if (this.batch) return this.startNested(envelope, this.batch.header.segment);
    this.endMessage();
    this.endOrphans();
    this.noteEnvelopeSegment(envelope);
    this.batch = { header: envelope, messages: 0 };
    if (this.file) this.file.batches += 1;
  }

  private openFile(segment: ScannedSegment): void {
    const envelope = this.labelEnvelope(segment);
    const open = this.batch?.header.segment ?? this.file?.header.segment;
    if (open) return this.startNested(envelope, open);
    this.endMessage();
    this.endOrphans();
    this.noteEnvelopeSegment(envelope);
    this.file = { header: envelope, batches: 0, hasBareMessages: false };
  }

  private closeBatch(segment: ScannedSegment): void {
    const envelope = this.labelEnvelope(segment);
    this.endMessage();
    this.endOrphans();
    this.noteEnvelopeSegment(envelope);
    if (!this.batch) {
      this.reportEnvelopeIssue(
        'unmatched-batch-trailer',
        `the BTS at line ${segment.line} closes no batch: no BHS is open`,
        {
          segment: envelope.label,
          line: segment.line,
        },
      );
      return;
    }
    this.checkTrailerCount(envelope, this.batch.messages, 'message(s)');
    this.batch = undefined;
  }

  private closeFile(segment: ScannedSegment): void {
    const envelope = this.labelEnvelope(segment);
    this.endMessage();
    this.endOrphans();
    this.noteEnvelopeSegment(envelope);
    if (this.batch) this.reportMissingBatchTrailer(`the FTS at line ${segment.line} arrives`);
    if (!this.file) {
      this.reportEnvelopeIssue(
        'unmatched-file-trailer',
        `the FTS at line ${segment.line} closes no file: no FHS is open`,
        {
          segment: envelope.label,
          line: segment.line,
        },
      );
      return;
    }
    // Messages inside an FHS but outside any BHS form one batch with no header of its own.
    const batches = this.file.batches + (this.file.hasBareMessages ? 1 : 0);
    this.checkTrailerCount(envelope, batches, 'batch(es)');
    this.file = undefined;
  }

  /**
   * Reject what a nested header interrupts. A BHS inside an open batch, or an FHS inside an open
   * envelope, means the envelope is broken. The message it interrupts and the segments after it,
   * up to the next MSH or envelope segment, are rejected together, and the outer envelope stays open.
   */
  private startNested(header: EnvelopeSegment, openedBy: ScannedSegment): void {
    const cutOff = this.current;
    this.current = undefined;
    this.endOrphans();
    this.orphans = { segments: [], after: undefined, nested: { header, cutOff, openedBy } };
  }

  private addOrphan(segment: ScannedSegment): void {
    if (!this.orphans) this.orphans = { segments: [], after: this.lastEnvelope, nested: undefined };
    this.orphans.segments.push(segment);
  }

  private endMessage(): void {
    if (this.current) this.units.push(this.current);
    this.current = undefined;
  }

  private endOrphans(): void {
    const group = this.orphans;
    this.orphans = undefined;
    if (!group) return;
    if (group.nested) return this.reportNested(group, group.nested);

    const [first] = group.segments;
    if (!first) return;
    const context = group.after
      ? `the ${group.after.segment.id} at line ${group.after.segment.line} is followed by ${first.id}, not MSH`
      : `the input starts with ${first.id}, not MSH`;
    this.log.addProblem({
      code: 'missing-message-header',
      reason: `${group.segments.length} segment(s) from line ${first.line} belong to no message: ${context}`,
      position: { line: first.line, segment: first.id },
      hint: 'Each message must start with an MSH segment; ask the sender to resend the batch.',
      ...this.rejectedText(group.segments),
    });
  }

  private reportNested(group: OrphanGroup, nested: NonNullable<OrphanGroup['nested']>): void {
    const { header, cutOff, openedBy } = nested;
    const id = header.segment.id;
    const code: Hl7IssueCode = id === 'BHS' ? 'nested-batch-header' : 'nested-file-header';
    const parts = [
      `the ${id} at line ${header.segment.line} opens an envelope inside the ${openedBy.id} at line ${openedBy.line}, before its trailer`,
    ];
    if (cutOff) {
      parts.push(
        `message ${cutOff.index} (line ${cutOff.segments[0]?.line}) is cut off and rejected`,
      );
    }
    if (group.segments.length > 0) {
      parts.push(`${group.segments.length} segment(s) after it belong to no message`);
    }
    this.log.addProblem({
      code,
      reason: parts.join('; '),
      position: {
        line: header.segment.line,
        ...(cutOff ? { record: cutOff.index } : {}),
        segment: header.label,
      },
      hint: `Close each envelope with its trailer (BTS for BHS, FTS for FHS) before opening the next.`,
      ...this.rejectedText([...(cutOff?.segments ?? []), header.segment, ...group.segments]),
    });
  }

  private checkTrailerCount(
    trailer: EnvelopeSegment,
    counted: number,
    noun: 'message(s)' | 'batch(es)',
  ): void {
    const { start, end } = trailer.segment;
    const text = trailer.segment.input.view.slice(start, end);
    const declared = text.split(this.fieldSeparator)[1]?.trim() ?? '';
    if (!/^\d+$/.test(declared) || Number(declared) === counted) return;
    this.log.addWarning({
      code: 'trailer-count-mismatch',
      reason: `${trailer.segment.id}-1 declares ${declared} ${noun}; ${counted} found`,
      position: {
        line: trailer.segment.line,
        segment: trailer.label,
        field: `${trailer.segment.id}-1`,
      },
    });
  }

  private reportMissingBatchTrailer(when: string): void {
    if (!this.batch) return;
    this.reportEnvelopeIssue(
      'missing-batch-trailer',
      `the BHS at line ${this.batch.header.segment.line} has no BTS before ${when}`,
      {
        segment: this.batch.header.label,
        line: this.batch.header.segment.line,
      },
    );
    this.batch = undefined;
  }

  /** Report an envelope condition that loses no message: a warning in lenient mode, a problem in strict mode. */
  private reportEnvelopeIssue(
    code: Hl7IssueCode,
    reason: string,
    position: { segment: string; line: number },
  ): void {
    if (this.mode === 'strict') this.log.addProblem({ code, reason, position });
    else this.log.addWarning({ code, reason, position });
  }

  /**
   * Record an envelope segment and check its terminator. Terminator conditions outside messages
   * reject nothing, so strict mode reports them as problems without text.
   */
  private noteEnvelopeSegment(envelope: EnvelopeSegment): void {
    this.lastEnvelope = envelope;
    const labeled = [{ segment: envelope.segment, occurrence: envelope.occurrence }];
    this.reportTerminatorIssues(findTerminatorIssues(labeled, []));
    if (this.mode === 'lenient') this.terminators.noteSegments(labeled, {});
  }

  private noteStrayEmptyLine(line: number): void {
    this.reportTerminatorIssues(findTerminatorIssues([], [line]));
  }

  private reportTerminatorIssues(issues: ReturnType<typeof findTerminatorIssues>): void {
    for (const issue of issues) {
      if (this.mode === 'lenient') {
        this.terminators.noteIssue(issue);
        continue;
      }
      this.log.addProblem({
        code: issue.code,
        reason: TERMINATOR_REASONS[issue.code],
        position: issue.position,
        hint: TERMINATOR_HINT,
      });
    }
  }

  private labelEnvelope(segment: ScannedSegment): EnvelopeSegment {
    this.envelopeOccurrences ??= new Map();
    const occurrence = (this.envelopeOccurrences.get(segment.id) ?? 0) + 1;
    this.envelopeOccurrences.set(segment.id, occurrence);
    return { segment, occurrence, label: formatSegmentLabel(segment.id, occurrence) };
  }

  private rejectedText(segments: readonly ScannedSegment[]): {
    text: string;
    range: { start: number; end: number };
  } {
    const text = segments
      .map((segment) => segment.input.decodeBestEffort(segment.start, segment.end))
      .join('\r');
    return { text, range: rangeOf(segments) };
  }
}

function isTrailer(id: string): boolean {
  return id === 'BTS' || id === 'FTS';
}

/** Compute the range from the start of the first segment to the end of the last, in the caller's input. */
export function rangeOf(segments: readonly ScannedSegment[]): { start: number; end: number } {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (first === undefined || last === undefined) return { start: 0, end: 0 };
  return {
    start: first.input.range(first.start, first.end).start,
    end: last.input.range(last.start, last.end).end,
  };
}
