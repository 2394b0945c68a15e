import { INDEX_CHAIN_ID } from '../chain';

/**
 * Keys of the audit mirror, under the mirror's prefix. A chain is stored as
 * chunks, each an immutable object that holds consecutive records, because Object
 * Lock forbids appending to an object:
 *   segments/<segment id>/<first seq>-<last seq>.jsonl   events of one segment
 *   index/<first seq>-<last seq>.jsonl                   records of index.jsonl
 *   index/<index id>/<first seq>-<last seq>.jsonl        records of one of many index.jsonl
 * Seqs are 0-based and padded to 12 digits, so keys sort in chain order. A writer whose
 * every process starts a new local index (a runner on Lambda) names each index by an id.
 */
export const MIRROR_SEGMENTS_FOLDER = 'segments/';
export const MIRROR_INDEX_FOLDER = 'index/';

const SEQ_DIGITS = 12;
const CHUNK_NAME = /^(\d{12})-(\d{12})\.jsonl$/;

/** One chunk object of a mirrored chain. */
export interface MirrorChunk {
  /** Full S3 key, prefix included. */
  key: string;
  /** Segment id, or `index` for the index chain. */
  chainId: string;
  /** Id of the index chain, for index chunks under `index/<index id>/`. */
  indexId?: string;
  firstSeq: number;
  lastSeq: number;
}

export function chunkKey(
  prefix: string,
  chainId: string,
  firstSeq: number,
  lastSeq: number,
  indexId?: string,
): string {
  const name = `${padSeq(firstSeq)}-${padSeq(lastSeq)}.jsonl`;
  if (chainId !== INDEX_CHAIN_ID) return `${prefix}${MIRROR_SEGMENTS_FOLDER}${chainId}/${name}`;
  return `${prefix}${indexFolder(indexId)}${name}`;
}

/** Folder of an index chain's chunks: `index/`, or `index/<index id>/`. */
export function indexFolder(indexId?: string): string {
  return indexId === undefined ? MIRROR_INDEX_FOLDER : `${MIRROR_INDEX_FOLDER}${indexId}/`;
}

/** Parse a key listed under the mirror's prefix, or return undefined for any other object. */
export function parseChunkKey(prefix: string, key: string): MirrorChunk | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const parts = key.slice(prefix.length).split('/');
  let chainId: string;
  let indexId: string | undefined;
  let name: string;
  if (parts.length === 2 && `${parts[0]}/` === MIRROR_INDEX_FOLDER) {
    chainId = INDEX_CHAIN_ID;
    name = parts[1] ?? '';
  } else if (parts.length === 3 && `${parts[0]}/` === MIRROR_INDEX_FOLDER && parts[1] !== '') {
    chainId = INDEX_CHAIN_ID;
    indexId = parts[1];
    name = parts[2] ?? '';
  } else if (parts.length === 3 && `${parts[0]}/` === MIRROR_SEGMENTS_FOLDER && parts[1] !== '') {
    chainId = parts[1] ?? '';
    name = parts[2] ?? '';
  } else {
    return undefined;
  }
  const match = CHUNK_NAME.exec(name);
  if (!match) return undefined;
  const firstSeq = Number(match[1]);
  const lastSeq = Number(match[2]);
  if (lastSeq < firstSeq) return undefined;
  return indexId === undefined
    ? { key, chainId, firstSeq, lastSeq }
    : { key, chainId, indexId, firstSeq, lastSeq };
}

/** Normalize a key prefix: '' stays '', anything else ends with one '/'. */
export function normalizeMirrorPrefix(prefix: string): string {
  if (prefix === '' || prefix.endsWith('/')) return prefix;
  return `${prefix}/`;
}

function padSeq(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0');
}
