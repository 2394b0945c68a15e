import { sha256Hex } from '@carelake/core';
import { compareStreamPositions, type StreamPosition } from '@carelake/stream';

/**
 * User records of one shard from `first` to `last`, both included, as a table commit records
 * them in its `inputs`.
 */
export interface StreamRange {
  stream: string;
  shardId: string;
  first: StreamPosition;
  last: StreamPosition;
}

const RANGE_INPUT = /^kinesis:([a-zA-Z0-9_.-]+):([a-zA-Z0-9_.-]+):(\d+)\.(\d+)-(\d+)\.(\d+)$/;
/** Maximum length of a data file label, as the table layer checks it. */
const MAX_FILE_LABEL_LENGTH = 160;

/** Write a range as a commit input: `kinesis:<stream>:<shard>:<firstSeq>.<sub>-<lastSeq>.<sub>`. */
export function formatStreamRange(range: StreamRange): string {
  return `kinesis:${range.stream}:${range.shardId}:${formatPosition(range.first)}-${formatPosition(range.last)}`;
}

/** Read a commit input written by `formatStreamRange`; undefined for any other input, such as a file hash. */
export function parseStreamRange(input: string): StreamRange | undefined {
  const match = RANGE_INPUT.exec(input);
  if (!match) return undefined;
  const [, stream, shardId, firstSequence, firstSub, lastSequence, lastSub] =
    match as unknown as string[];
  return {
    stream: stream as string,
    shardId: shardId as string,
    first: { sequenceNumber: firstSequence as string, subSequenceNumber: Number(firstSub) },
    last: { sequenceNumber: lastSequence as string, subSequenceNumber: Number(lastSub) },
  };
}

/**
 * Name one user record: `kinesis:<stream>:<shard>:<sequenceNumber>.<subSequenceNumber>`. Rows
 * carry it in `source_file`, and quarantine items in their position.
 */
export function streamRecordId(stream: string, shardId: string, position: StreamPosition): string {
  return `kinesis:${stream}:${shardId}:${formatPosition(position)}`;
}

/**
 * Label of the data files a range's commit writes: `<shard>_<firstSeq>.<sub>-<lastSeq>.<sub>`.
 * Sequence numbers of up to 129 digits can make it too long for a file name. Such a label keeps
 * the shard id and replaces the range with its SHA-256, while the commit's `inputs` keep the range.
 */
export function fileLabelOf(range: StreamRange): string {
  const label = `${range.shardId}_${formatPosition(range.first)}-${formatPosition(range.last)}`;
  if (label.length <= MAX_FILE_LABEL_LENGTH) return label;
  return `${range.shardId}_${sha256Hex(formatStreamRange(range))}`;
}

/** Return the later of two positions of one shard. */
export function laterPosition(a: StreamPosition | undefined, b: StreamPosition): StreamPosition {
  return a === undefined || compareStreamPositions(b, a) > 0 ? b : a;
}

function formatPosition(position: StreamPosition): string {
  return `${position.sequenceNumber}.${position.subSequenceNumber}`;
}
