import { TextDecoder, TextEncoder } from 'node:util';
import { FhirReadError } from './errors';
import { findJsonSyntaxError } from './json-syntax';
import { LineSplitter, type SplitLine } from './line-splitter';
import { isFhirProblem, type FhirProblem } from './problems';
import { checkResourceShape } from './resource-check';
import { readFhirJson } from './bundle-reader';
import { isJsonObject, type FhirEntry, type FhirReadResult, type JsonObject } from './types';

export interface ReadNdjsonOptions {
  /** Name of the input (its landing key), used in problems. */
  file: string;
  /**
   * Maximum line length kept in memory, in bytes, excluding the line ending. A longer
   * line is skipped with a `line-too-long` problem. Defaults to 64 MiB, room for
   * a resource with large inline attachments.
   */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Returns true when the bytes start with the gzip magic number (1f 8b, RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads FHIR NDJSON (one resource per line, as the Bulk Data export writes it)
 * from a stream of chunks, keeping one line in memory at a time.
 *
 * Yields an entry for each resource and a problem for each line that cannot be
 * read, then goes on with the next line. Lines end in LF or CRLF, the last line
 * may lack one, and blank lines are skipped. An entry's `position` is its 0-based
 * line index; problems carry the 1-based line. Gzip input is not decompressed:
 * it yields one `compressed-input` problem and nothing else, and the caller
 * decompresses it first (for example with `zlib.createGunzip()`).
 *
 * Throws `FhirReadError` when a chunk is neither a string nor a Uint8Array.
 *
 * A line with a Bundle is one Bundle resource, unless every entry of the Bundle
 * is a DELETE request. The Bulk Data export writes deleted resources that way in
 * its `deleted` files, so each such entry becomes a deleted entry at that line.
 */
export async function* readNdjson(
  chunks: AsyncIterable<Uint8Array | string>,
  options: ReadNdjsonOptions,
): AsyncGenerator<FhirEntry | FhirProblem> {
  const { file } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new FhirReadError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`, {
      position: { file },
    });
  }

  const splitter = new LineSplitter(maxLineBytes);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  let head: Uint8Array = new Uint8Array(0);
  let lineNumber = 0;

  const readSplitLine = (split: SplitLine): Array<FhirEntry | FhirProblem> => {
    lineNumber += 1;
    return readLine(split, lineNumber, file, decoder);
  };

  for await (const chunk of chunks) {
    const bytes = toBytes(chunk, encoder, file);

    // The first two bytes decide whether the input is gzip, even if they arrive in separate chunks.
    if (head.length < 2) {
      head = concatHead(head, bytes);
      if (head.length >= 2 && isGzip(head)) {
        yield {
          severity: 'error',
          code: 'compressed-input',
          file,
          reason: 'the file is gzip-compressed; decompress it before reading',
        };
        return;
      }
    }

    for (const split of splitter.push(bytes)) yield* readSplitLine(split);
  }

  for (const split of splitter.finish()) yield* readSplitLine(split);
}

/**
 * Collects every item of `readNdjson` (or any such stream) into entries and
 * problems. It keeps them all in memory, so it suits tests and small files.
 */
export async function collectFhirReadResult(
  items: AsyncIterable<FhirEntry | FhirProblem>,
): Promise<FhirReadResult> {
  const result: FhirReadResult = { resources: [], problems: [] };
  for await (const item of items) {
    if (isFhirProblem(item)) result.problems.push(item);
    else result.resources.push(item);
  }
  return result;
}

function readLine(split: SplitLine, line: number, file: string, decoder: TextDecoder): Array<FhirEntry | FhirProblem> {
  const item = readLineItem(split, line, file, decoder);
  if (item === undefined) return [];
  if (isFhirProblem(item) || !isDeleteBundle(item.resource)) return [item];

  const deletes = readFhirJson(JSON.stringify(item.resource), { file });
  return [
    ...deletes.resources.map((entry) => ({ ...entry, position: line - 1 })),
    ...deletes.problems.map((problem) => ({ ...problem, line })),
  ];
}

/** True for a Bundle with entries that are all DELETE requests, as in a Bulk Data `deleted` file. */
function isDeleteBundle(resource: JsonObject): boolean {
  if (resource['resourceType'] !== 'Bundle' || !Array.isArray(resource['entry'])) return false;
  const entries = resource['entry'] as unknown[];
  return (
    entries.length > 0 &&
    entries.every((entry) => {
      const request = isJsonObject(entry) ? entry['request'] : undefined;
      return isJsonObject(request) && typeof request['method'] === 'string' && request['method'].toUpperCase() === 'DELETE';
    })
  );
}

function readLineItem(
  split: SplitLine,
  line: number,
  file: string,
  decoder: TextDecoder,
): FhirEntry | FhirProblem | undefined {
  const problem = (code: FhirProblem['code'], reason: string, column?: number): FhirProblem => ({
    severity: 'error',
    code,
    file,
    line,
    ...(column === undefined ? {} : { column }),
    reason,
  });

  if (split.kind === 'too-long') {
    return problem(
      'line-too-long',
      `the line is ${split.lengthBytes} bytes, longer than maxLineBytes; it was skipped`,
    );
  }

  let bytes = split.bytes;
  if (line === 1 && UTF8_BOM.every((byte, index) => bytes[index] === byte))
    bytes = bytes.subarray(UTF8_BOM.length);

  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return problem('invalid-utf8', 'the line is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const syntaxError = findJsonSyntaxError(text);
    const reason = syntaxError
      ? `the line is not valid JSON: ${syntaxError.reason}`
      : 'the line is not valid JSON';
    return problem('invalid-json', reason, syntaxError?.column);
  }

  const checked = checkResourceShape(value);
  if (!checked.ok) return problem(checked.code, checked.reason);
  return { resource: checked.resource, position: line - 1, deleted: false };
}

function toBytes(chunk: unknown, encoder: TextEncoder, file: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encoder.encode(chunk);
  throw new FhirReadError('readNdjson expects chunks of type Uint8Array or string', {
    position: { file },
    hint: 'Pass a Node.js readable stream or an async iterable of Buffers.',
  });
}

function concatHead(head: Uint8Array, bytes: Uint8Array): Uint8Array {
  const joined = new Uint8Array(Math.min(2, head.length + bytes.length));
  joined.set(head.subarray(0, joined.length));
  joined.set(bytes.subarray(0, joined.length - head.length), head.length);
  return joined;
}
