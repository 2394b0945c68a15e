import { Hl7Error } from '../errors';
import type { Hl7Message } from '../message';
import { parseHl7File } from '../parse-file';
import { mergeParseResults, type Hl7ParseResult } from '../parse-session';
import { parseHl7Stream } from '../parse-stream';

/**
 * Parse damaged input in both modes and check that parsing returned results instead of throwing,
 * or threw only the package's own errors, and that the results are consistent. Returns a
 * description of the first broken rule, or undefined.
 */
export function checkDamagedInput(bytes: Uint8Array): string | undefined {
  for (const mode of ['lenient', 'strict'] as const) {
    let result: ReturnType<typeof parseHl7File>;
    try {
      result = parseHl7File(bytes, { mode, file: 'fuzz.hl7' });
    } catch (error) {
      if (error instanceof Hl7Error) continue;
      return `${mode} parse threw ${error instanceof Error ? error.name : typeof error}: ${String(error)}`;
    }
    let previousIndex = -1;
    for (const message of result.messages) {
      if (message.index <= previousIndex) return `${mode}: message indexes are not increasing`;
      previousIndex = message.index;
      if (message.segments[0]?.id !== 'MSH') return `${mode}: a message does not start with MSH`;
      if (message.segments.some((segment) => segment.line < 1))
        return `${mode}: a segment has no line`;
      if (!message.encode().endsWith('\r')) return `${mode}: an encoded message lacks its final CR`;
      for (const segment of message.segments) {
        for (const leaf of segment.leaves())
          segment.get(`${leaf.field}[${leaf.repetition}].${leaf.component}.${leaf.subcomponent}`);
      }
    }
    for (const problem of result.problems) {
      if (problem.position.file !== 'fuzz.hl7') return `${mode}: a problem has no file position`;
    }
  }
  return undefined;
}

/** Describe a parse result as plain data, so that two results compare with a deep equality. */
export function describeParseResult(result: Hl7ParseResult): unknown {
  return {
    messages: result.messages.map((message: Hl7Message) => ({
      index: message.index,
      text: message.text,
      charset: message.charset,
      range: message.range,
      lines: message.segments.map((segment) => [segment.label, segment.line]),
      fileHeader: message.fileHeader?.text,
      batchHeader: message.batchHeader?.text,
    })),
    problems: result.problems,
    warnings: result.warnings,
  };
}

/** Parse bytes as a stream of `chunkSize`-byte chunks and merge the results. */
export async function parseInChunks(
  bytes: Uint8Array,
  chunkSize: number,
  options: Parameters<typeof parseHl7File>[1] = {},
): Promise<Hl7ParseResult> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < bytes.length; start += chunkSize) {
      yield bytes.slice(start, start + chunkSize);
    }
  }
  const results: Hl7ParseResult[] = [];
  for await (const result of parseHl7Stream(chunks(), options)) results.push(result);
  return mergeParseResults(results);
}

/** Return a description of how streaming the bytes differs from parsing them whole, or undefined. */
export async function checkStreamMatchesFile(
  bytes: Uint8Array,
  chunkSize: number,
): Promise<string | undefined> {
  const whole = JSON.stringify(describeParseResult(parseHl7File(bytes)));
  const streamed = JSON.stringify(describeParseResult(await parseInChunks(bytes, chunkSize)));
  return whole === streamed
    ? undefined
    : `the stream parse in ${chunkSize}-byte chunks differs from the whole parse`;
}
