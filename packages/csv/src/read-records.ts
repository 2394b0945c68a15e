import { Readable, pipeline } from 'node:stream';
import { Parser, type Options } from 'csv-parse';
import { CsvDecodeError } from './errors';
import { LineIndex } from './line-index';
import { RecordTracker, type TrackedRecord } from './record-tracker';

export interface SplitOptions {
  /** The delimiter and quote, as bytes in the file's encoding. */
  delimiter: Buffer;
  quote: Buffer;
  /** Drop a UTF-8 byte-order mark at the start; set for UTF-8 files only. */
  stripUtf8ByteOrderMark: boolean;
  maxFieldBytes: number;
  /** Name of the input, for the error raised on a chunk that is not bytes. */
  file: string;
}

const UTF8_BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a CSV byte stream into records with csv-parse, following RFC 4180: quoted fields, doubled
 * quotes, delimiters and line breaks inside quotes, and LF, CRLF or CR line endings, mixed or not.
 * Fields stay bytes, for the caller to decode, so that bytes invalid in the file's encoding spoil
 * one field and not the stream. Blank lines are dropped. A record csv-parse cannot split is
 * yielded as a `BrokenRecord`, and splitting goes on with the next record.
 *
 * Records come in batches, in file order. Memory stays bounded by the chunks and batches in
 * flight and the largest field, at most `maxFieldBytes`.
 */
export async function* readSplitRecords(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: SplitOptions,
): AsyncGenerator<TrackedRecord[]> {
  const lines = new LineIndex();
  const tracker = new RecordTracker(lines);
  const parserOptions: Options<TrackedRecord[], Uint8Array[]> = {
    // null returns each field as bytes.
    encoding: null,
    // The byte-order mark is handled before csv-parse, which would otherwise switch to string fields.
    bom: false,
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.quote,
    record_delimiter: ['\r\n', '\n', '\r'],
    // The field count is checked against the header by the caller, which names the counts.
    relax_column_count: true,
    skip_records_with_error: true,
    // With byte fields, csv-parse 7.0.3 compares this limit with the length of the field being read.
    max_record_size: options.maxFieldBytes,
    on_record: (record, context) => tracker.onRecord(record, context.bytes),
    on_skip: (error) => {
      if (error) tracker.onError(error);
      return undefined;
    },
  };
  // The Parser class is typed for string records only; with `encoding: null` they are bytes.
  const parser = new Parser(parserOptions as unknown as Options);

  const source = Readable.from(feedBytes(chunks, lines, tracker, options));
  // An error of the source destroys the parser with it, so the loop below throws it.
  pipeline(source, parser, () => undefined);
  yield* parser as AsyncIterable<TrackedRecord[]>;
  yield tracker.finish();
}

/** Passes the chunks on to csv-parse, feeding the line index first and dropping a byte-order mark. */
async function* feedBytes(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  lines: LineIndex,
  tracker: RecordTracker,
  options: SplitOptions,
): AsyncGenerator<Buffer> {
  // The first bytes are held until they show whether the input starts with a byte-order mark.
  let head: Buffer | undefined = options.stripUtf8ByteOrderMark ? Buffer.alloc(0) : undefined;
  let chunkIndex = 0;

  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) {
      throw new CsvDecodeError(`chunk ${chunkIndex} of the input is not bytes but a ${typeof chunk}`, {
        position: { file: options.file },
        hint: 'Pass Buffer or Uint8Array chunks; the schema\'s encoding decodes them.',
      });
    }
    chunkIndex += 1;
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (head !== undefined) {
      head = Buffer.concat([head, bytes]);
      if (head.length < UTF8_BYTE_ORDER_MARK.length && UTF8_BYTE_ORDER_MARK.subarray(0, head.length).equals(head)) continue;
      bytes = head.subarray(0, 3).equals(UTF8_BYTE_ORDER_MARK) ? head.subarray(3) : head;
      head = undefined;
    }
    if (bytes.length === 0) continue;

    lines.add(bytes);
    yield bytes;
    if (tracker.stopped) return;
  }

  // An input shorter than a byte-order mark that starts like one is kept as it is.
  if (head !== undefined && head.length > 0) {
    lines.add(head);
    yield head;
  }
  lines.finish();
}
