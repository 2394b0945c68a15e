import type { ErrorPosition } from '@carelake/core';
import { groupMessages, type MessageLayout } from './envelope';
import { Hl7ParseError } from './errors';
import { Hl7Input } from './input';
import { IssueLog } from './issue-log';
import type { Hl7Problem, Hl7Warning } from './issues';
import type { Hl7Message } from './message';
import { MessageBuilder } from './message-builder';
import type { Hl7ParseMode, Hl7ParseOptions } from './options';
import { scanSegments } from './scan';
import {
  findTerminatorIssues,
  TERMINATOR_HINT,
  TERMINATOR_REASONS,
  TerminatorSummary,
} from './terminators';

export interface Hl7ParseResult {
  /** The messages that parsed, in input order; `index` counts rejected ones too. */
  messages: Hl7Message[];
  /** Rejected input, in line order. */
  problems: Hl7Problem[];
  /** Conditions accepted as read, and values mapped to null, in line order. */
  warnings: Hl7Warning[];
}

/**
 * Parse an ER7 (pipe-delimited) input holding one message, several messages, or FHS/BHS
 * envelopes around them. A message that cannot be parsed becomes a problem and the others still
 * parse. Bytes are decoded per message (see `Hl7Message.charset`); a string is taken as decoded.
 */
export function parseHl7File(
  input: Uint8Array | string,
  options: Hl7ParseOptions = {},
): Hl7ParseResult {
  const mode = options.mode ?? 'lenient';
  const log = new IssueLog(options.file);
  const source = Hl7Input.from(input);
  const items = scanSegments(source.view);
  if (!items.some((item) => item.kind === 'segment')) {
    log.addWarning({ code: 'empty-input', reason: 'the input contains no segments', position: {} });
    return { messages: [], problems: log.problems, warnings: log.warnings };
  }

  const layout = groupMessages(source, items, log, mode);
  const terminators = new TerminatorSummary();
  const builder = new MessageBuilder(source, log, mode, terminators);
  const messages: Hl7Message[] = [];
  for (const unit of layout.units) {
    const message = builder.build(unit);
    if (message) messages.push(message);
  }
  checkEnvelopeTerminators(layout, mode, log, terminators);
  for (const warning of terminators.warnings()) log.addWarning(warning);

  return { messages, problems: sortByLine(log.problems), warnings: sortByLine(log.warnings) };
}

/**
 * Parse an input that must hold exactly one message, such as an MLLP frame.
 * @throws Hl7ParseError for the first problem, or when the input contains no message or several.
 */
export function parseHl7Message(
  input: Uint8Array | string,
  options: Hl7ParseOptions = {},
): { message: Hl7Message; warnings: Hl7Warning[] } {
  const result = parseHl7File(input, options);
  const [problem] = result.problems;
  if (problem) throw new Hl7ParseError(problem);

  const [message, ...others] = result.messages;
  if (message === undefined || others.length > 0) {
    throw new Hl7ParseError({
      code: 'not-one-message',
      reason: `expected one HL7 v2 message, found ${result.messages.length}`,
      position: options.file === undefined ? {} : { file: options.file },
      hint: 'Parse inputs that may hold several messages with parseHl7File.',
    });
  }
  return { message, warnings: result.warnings };
}

/** Terminator conditions outside messages reject nothing, so strict mode reports them as problems without text. */
function checkEnvelopeTerminators(
  layout: MessageLayout,
  mode: Hl7ParseMode,
  log: IssueLog,
  terminators: TerminatorSummary,
): void {
  const issues = findTerminatorIssues(layout.envelopeSegments, layout.strayEmptyLines);
  if (mode === 'strict') {
    for (const issue of issues) {
      log.addProblem({
        code: issue.code,
        reason: TERMINATOR_REASONS[issue.code],
        position: issue.position,
        hint: TERMINATOR_HINT,
      });
    }
    return;
  }
  for (const issue of issues) terminators.noteIssue(issue);
  terminators.noteSegments(layout.envelopeSegments, undefined);
}

function sortByLine<T extends { position: ErrorPosition }>(entries: T[]): T[] {
  return [...entries].sort((left, right) => (left.position.line ?? 0) - (right.position.line ?? 0));
}
