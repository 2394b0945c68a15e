import { canonicalJson, sha256Hex } from '@carelake/core';

/** Prefix of every genesis hash; a new chain format would get a new prefix. */
const GENESIS_PREFIX = 'carelake-audit-v1:';

/** Chain id of the index, kept apart from segment ids, which start with a digit. */
export const INDEX_CHAIN_ID = 'index';

/** Compute the `prev` of the first record of a chain: SHA-256 of `carelake-audit-v1:` + the chain id. */
export function genesisHash(chainId: string): string {
  return sha256Hex(GENESIS_PREFIX + chainId);
}

/** Hex SHA-256 of the canonical JSON (keys sorted) of a record, leaving out its `hash` field. */
export function computeRecordHash(record: object): string {
  const unsealed: Record<string, unknown> = { ...record };
  delete unsealed['hash'];
  return sha256Hex(canonicalJson(unsealed));
}

/** A record as stored in a chain: a 0-based `seq`, the `prev` hash and its own `hash`. */
export interface ChainedRecord {
  seq: number;
  prev: string;
  hash: string;
}

/** Reasons a record fails to continue its chain, in the order the checks run. */
export type ChainBreak = 'hash-mismatch' | 'prev-mismatch' | 'seq-gap';

/**
 * Walks one chain record by record. After a break it continues from the record
 * as found, so that one edited or removed line is reported once, not at every later line.
 */
export class ChainChecker {
  private expectedSeq = 0;
  private expectedPrev: string;

  constructor(chainId: string) {
    this.expectedPrev = genesisHash(chainId);
  }

  /** Return the first check the record fails, or undefined when it continues the chain. */
  check(record: ChainedRecord): { reason: ChainBreak; message: string } | undefined {
    const expectedSeq = this.expectedSeq;
    const expectedPrev = this.expectedPrev;
    this.expectedSeq = record.seq + 1;
    this.expectedPrev = record.hash;

    if (computeRecordHash(record) !== record.hash) {
      return {
        reason: 'hash-mismatch',
        message: 'hash does not match the content: the record was edited',
      };
    }
    if (record.prev !== expectedPrev) {
      return {
        reason: 'prev-mismatch',
        message:
          'prev does not match the hash of the line before: a record was removed, inserted or reordered',
      };
    }
    if (record.seq !== expectedSeq) {
      return { reason: 'seq-gap', message: `expected seq ${expectedSeq}, found ${record.seq}` };
    }
    return undefined;
  }
}
