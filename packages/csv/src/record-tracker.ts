import type { CsvError } from 'csv-parse';
import type { LineIndex } from './line-index';

/** A record csv-parse split into fields, still as bytes. */
export interface SplitRecord {
  kind: 'split';
  fields: Uint8Array[];
  /** 1-based physical lines where the record starts and ends. */
  line: number;
  endLine: number;
  /** 0-based index among the file's non-blank records, header included. */
  sequence: number;
}

/** Reason csv-parse could not split a record into fields. */
export type BreakCause =
  | 'quote-in-unquoted-field'
  | 'text-after-closing-quote'
  | 'quote-not-closed'
  | 'field-too-large'
  /** An error code this tracker does not expect with the options `readSplitRecords` sets. */
  | 'other';

/** A record csv-parse dropped because it could not split it. */
export interface BrokenRecord {
  kind: 'broken';
  cause: BreakCause;
  /** 1-based line where the record starts, or where the unclosed quote opened for `quote-not-closed`. */
  line: number;
  /** Last line of the record; undefined for `field-too-large`, after which nothing more is read. */
  endLine: number | undefined;
  sequence: number;
  /** 0-based index of the field being read when the first error occurred. */
  fieldIndex: number;
  /** csv-parse's error code, such as `CSV_QUOTE_NOT_CLOSED`. Its message is not kept: it can quote field values. */
  parserCode: string;
}

export type TrackedRecord = SplitRecord | BrokenRecord;

const CAUSES: Partial<Record<string, BreakCause>> = {
  INVALID_OPENING_QUOTE: 'quote-in-unquoted-field',
  CSV_INVALID_CLOSING_QUOTE: 'text-after-closing-quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text-after-closing-quote',
  CSV_QUOTE_NOT_CLOSED: 'quote-not-closed',
  CSV_MAX_RECORD_SIZE: 'field-too-large',
};

const LF = 0x0a;
const CR = 0x0d;
/** Records handed to csv-parse's stream in one push, which costs less than one push per record. */
const BATCH_RECORDS = 256;

/** The record being dropped, from its first error until the next record shows where it ended. */
interface PendingBreak {
  cause: BreakCause;
  line: number;
  fieldIndex: number;
  parserCode: string;
  /** `bytes`, `index` and line of the latest error, to tell whether the next error is in the same record. */
  errorOffset: number;
  errorFieldIndex: number;
  errorLine: number;
}

/**
 * Follows csv-parse's `on_record` and `on_skip` callbacks to give every record its physical start
 * line, and to report the records csv-parse drops with `skip_records_with_error`.
 *
 * csv-parse's own `info.lines` cannot be used: it counts a CRLF inside a quoted field as two lines
 * (csv-parse 7.0.3). Instead the tracker takes the byte offset where each record ends (the
 * `bytes` of the `on_record` context) and a `LineIndex` over the same bytes: a record starts on
 * its last line minus the line breaks inside its quoted fields. Blank lines must reach
 * `on_record` for this, so csv-parse does not skip them (`skip_empty_lines`) and the tracker
 * drops them instead.
 *
 * A dropped record calls `on_skip` once per error and no `on_record`, so the tracker closes it
 * when the next record shows up, or at the end of the input. An error's `bytes` is the offset
 * where the record's last complete field ended, or where the record starts when `index` (the
 * count of complete fields) is 0.
 */
export class RecordTracker {
  /** Offset just past the last record that reached `on_record`: the start of the next one. */
  private lastRecordEnd = 0;
  private pending: PendingBreak | undefined;
  /** Whether a dropped record was closed after `lastRecordEnd`, which then no longer starts the current record. */
  private lastRecordEndIsStale = false;
  private nextSequence = 0;
  private ready: TrackedRecord[] = [];
  /**
   * Set after a field grew beyond the maximum size. csv-parse 7.0.3 returns from its parse loop on
   * that error without keeping its buffer consistent, so nothing it reports afterwards is used.
   */
  stopped = false;

  constructor(private readonly lines: LineIndex) {}

  /** Call from `on_record` with the record and the context's `bytes`; returns a batch for csv-parse to push, if one is full. */
  onRecord(fields: Uint8Array[], endOffset: number): TrackedRecord[] | null {
    if (this.stopped) return null;
    const endLine = this.lines.lineAt(endOffset - 1);
    const line = endLine - countLineBreaks(fields);
    this.closePending(line - 1);
    this.lastRecordEnd = endOffset;
    this.lastRecordEndIsStale = false;

    if (!isBlank(fields)) {
      this.ready.push({ kind: 'split', fields, line, endLine, sequence: this.nextSequence++ });
    }
    return this.ready.length >= BATCH_RECORDS ? this.takeReady() : null;
  }

  /** Call from `on_skip` with the error of a record csv-parse drops. */
  onError(error: CsvError): void {
    if (this.stopped) return;
    const errorOffset = typeof error.bytes === 'number' ? error.bytes : this.lastRecordEnd;
    const errorFieldIndex = typeof error.index === 'number' ? error.index : 0;
    const cause = CAUSES[error.code] ?? 'other';

    const pending = this.pending;
    if (pending && this.isSameRecord(pending, errorOffset, errorFieldIndex)) {
      // The first error explains the record, and later ones follow from it, except running out of room.
      if (cause === 'field-too-large') this.stop({ ...pending, cause, parserCode: error.code });
      return;
    }

    const startLine = this.startLineOf(errorOffset, errorFieldIndex);
    this.closePending(startLine - 1);
    // A quoted field starts with its quote, right after the delimiter at `errorOffset`.
    const errorLine = errorFieldIndex === 0 ? startLine : this.lines.lineAt(errorOffset);
    const next: PendingBreak = {
      cause,
      line: cause === 'quote-not-closed' ? errorLine : startLine,
      fieldIndex: errorFieldIndex,
      parserCode: error.code,
      errorOffset,
      errorFieldIndex,
      errorLine,
    };
    if (cause === 'field-too-large') this.stop(next);
    else this.pending = next;
  }

  /** Call once csv-parse has ended and the line index has seen every byte; returns the records left. */
  finish(): TrackedRecord[] {
    if (!this.stopped) this.closePending(this.lines.lastLine());
    return this.takeReady() ?? [];
  }

  private isSameRecord(pending: PendingBreak, errorOffset: number, errorFieldIndex: number): boolean {
    // No field or record ended since the last error.
    if (errorOffset === pending.errorOffset) return true;
    // Fields ended, but on the same line, where no other record can start.
    if (errorFieldIndex > pending.errorFieldIndex && this.lines.lineAt(errorOffset) === pending.errorLine) {
      pending.errorOffset = errorOffset;
      pending.errorFieldIndex = errorFieldIndex;
      return true;
    }
    // NOTE: a later field of the same record, after a quoted field with a line break, is taken for
    // a new record too, because nothing csv-parse reports distinguishes the two.
    return false;
  }

  private startLineOf(errorOffset: number, errorFieldIndex: number): number {
    if (errorFieldIndex === 0) return this.lines.lineAt(errorOffset);
    if (this.pending === undefined && !this.lastRecordEndIsStale) return this.lines.lineAt(this.lastRecordEnd);
    // The record follows another dropped record whose end is unknown: take the line of the field
    // after `errorOffset`, which is the start line unless an earlier field spans lines.
    return this.lines.lineAt(errorOffset);
  }

  private closePending(endLine: number | undefined): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.ready.push({
      kind: 'broken',
      cause: pending.cause,
      line: pending.line,
      endLine,
      sequence: this.nextSequence++,
      fieldIndex: pending.fieldIndex,
      parserCode: pending.parserCode,
    });
    this.pending = undefined;
    this.lastRecordEndIsStale = true;
  }

  private stop(pending: PendingBreak): void {
    this.pending = pending;
    this.closePending(undefined);
    this.stopped = true;
  }

  private takeReady(): TrackedRecord[] | null {
    if (this.ready.length === 0) return null;
    const out = this.ready;
    this.ready = [];
    return out;
  }
}

/** Counts LF, CRLF and lone CR in the fields; only quoted fields can hold them. */
function countLineBreaks(fields: readonly Uint8Array[]): number {
  let count = 0;
  for (const field of fields) {
    if (field.indexOf(LF) === -1 && field.indexOf(CR) === -1) continue;
    for (let index = 0; index < field.length; index++) {
      const byte = field[index];
      if (byte === LF || (byte === CR && field[index + 1] !== LF)) count++;
    }
  }
  return count;
}

/**
 * Returns whether the record is a blank line, which reaches `on_record` as one field that is empty
 * or only spaces and tabs. A line with only a quoted empty or blank field looks the same there, so
 * it is dropped too.
 */
function isBlank(fields: readonly Uint8Array[]): boolean {
  const [only] = fields;
  return fields.length === 1 && only !== undefined && only.every((byte) => byte === 0x20 || byte === 0x09);
}
