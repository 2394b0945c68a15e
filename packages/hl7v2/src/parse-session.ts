import { EnvelopeGrouper, type MessageUnit } from './envelope';
import type { Hl7Input } from './input';
import { byLine, IssueLog } from './issue-log';
import type { Hl7Problem, Hl7Warning } from './issues';
import type { Hl7Message } from './message';
import { MessageBuilder } from './message-builder';
import { resolveCharsetSettings } from './message-charset';
import type { Hl7ParseOptions } from './options';
import { SegmentScanner } from './scan';
import { TerminatorSummary } from './terminators';

export interface Hl7ParseResult {
  /** The messages that parsed, in input order; `index` counts rejected ones too. */
  messages: Hl7Message[];
  /** Rejected input, in line order. */
  problems: Hl7Problem[];
  /** Conditions accepted as read, and values mapped to null, in line order. */
  warnings: Hl7Warning[];
}

/**
 * One parse of an input that arrives whole or in pieces. Each piece must start at a segment
 * start (or be the whole input), and pieces must come in order with their first line number.
 * Results come out as soon as they are known: a message when the next message or envelope
 * segment arrives, and the per-input terminator summary at `finish`.
 */
export class Hl7ParseSession {
  private readonly log: IssueLog;
  private readonly scanner = new SegmentScanner();
  private readonly terminators = new TerminatorSummary();
  private readonly grouper: EnvelopeGrouper;
  private readonly builder: MessageBuilder;

  /** @throws Hl7OptionsError when an option names a character set this parser does not decode. */
  constructor(options: Hl7ParseOptions = {}) {
    const mode = options.mode ?? 'lenient';
    this.log = new IssueLog(options.file);
    this.grouper = new EnvelopeGrouper(this.log, mode, this.terminators);
    this.builder = new MessageBuilder(
      this.log,
      mode,
      this.terminators,
      resolveCharsetSettings(options),
    );
  }

  /** Scan one piece of input, build the messages it completes and return them with the issues found so far. */
  add(input: Hl7Input, firstLine: number): Hl7ParseResult {
    for (const item of this.scanner.scan(input, firstLine)) this.grouper.add(item);
    const messages = this.buildUnits(this.grouper.takeUnits());
    const { problems, warnings } = this.log.drain();
    return { messages, problems, warnings };
  }

  /** Close the input: build the last message, check open envelopes and summarise terminators. */
  finish(): Hl7ParseResult {
    const messages = this.buildUnits(this.grouper.finish());
    if (!this.grouper.sawSegment) {
      this.log.addWarning({
        code: 'empty-input',
        reason: 'the input contains no segments',
        position: {},
      });
    }
    for (const warning of this.terminators.warnings()) this.log.addWarning(warning);
    const { problems, warnings } = this.log.drain();
    return { messages, problems, warnings };
  }

  private buildUnits(units: readonly MessageUnit[]): Hl7Message[] {
    const messages: Hl7Message[] = [];
    for (const unit of units) {
      const message = this.builder.build(unit);
      if (message) messages.push(message);
    }
    return messages;
  }
}

/** Join results in input order, keeping problems and warnings in line order. */
export function mergeParseResults(results: readonly Hl7ParseResult[]): Hl7ParseResult {
  const merged: Hl7ParseResult = { messages: [], problems: [], warnings: [] };
  // Plain loops: flatMap costs more than the rest of parsing a short message.
  for (const result of results) {
    for (const message of result.messages) merged.messages.push(message);
    for (const problem of result.problems) merged.problems.push(problem);
    for (const warning of result.warnings) merged.warnings.push(warning);
  }
  merged.problems.sort(byLine);
  merged.warnings.sort(byLine);
  return merged;
}
