import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ChainChecker, genesisHash, INDEX_CHAIN_ID } from './chain';
import { AuditError } from './errors';
import type { IndexLockOptions } from './index-lock';
import { readTextLines } from './json-lines';
import { INDEX_FILE, isErrnoException, segmentFile } from './layout';
import { parseIndexRecord, type IndexRecord } from './parse-records';
import { takeSnapshot } from './snapshot';
import { verifySegment } from './verify-segment';
import type { AuditProblem, AuditVerifyResult } from './verify-result';

export interface VerifyAuditLogOptions {
  lock?: IndexLockOptions;
}

/** Lines of the index that list one segment. */
interface IndexListing {
  openLine?: number;
  close?: { record: IndexRecord; line: number };
}

/**
 * Check every chain under an `_audit` folder: each segment line by line, the index,
 * and that the index and the segment files agree. Reports every problem found;
 * throws only when files cannot be read. A missing or empty folder is a valid empty log.
 */
export async function verifyAuditLog(
  dir: string,
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerifyResult> {
  if (!(await isFolder(dir))) return { ok: true, segments: 0, events: 0, problems: [] };

  const snapshot = await takeSnapshot(dir, options.lock);
  const problems: AuditProblem[] = [];
  const listings = await verifyIndex(dir, snapshot.indexSizeBytes, problems);
  const present = new Set(snapshot.segmentIds);
  const segmentIds = [...new Set([...snapshot.segmentIds, ...listings.keys()])].sort();
  let events = 0;

  for (const segmentId of segmentIds) {
    const file = segmentFile(segmentId);
    const listing = listings.get(segmentId);
    if (!present.has(segmentId)) {
      problems.push({
        reason: 'missing-segment',
        file,
        segment: segmentId,
        message: `segment listed in ${INDEX_FILE} line ${listing?.openLine ?? listing?.close?.line} is missing`,
      });
      continue;
    }
    if (!listing) {
      problems.push({
        reason: 'unlisted-segment',
        file,
        segment: segmentId,
        message: `segment file is not listed in ${INDEX_FILE}`,
      });
    }

    const result = await verifySegment(dir, segmentId);
    events += result.events;
    problems.push(...result.problems);
    const close = listing?.close;
    if (close) {
      const mismatch = compareWithClose(segmentId, result.last, close);
      if (mismatch) problems.push(mismatch);
    }
  }

  return {
    ok: problems.length === 0,
    segments: present.size,
    events,
    ...(problems.length > 0 ? { firstBreak: problems[0] } : {}),
    problems,
  };
}

async function verifyIndex(
  dir: string,
  sizeBytes: number,
  problems: AuditProblem[],
): Promise<Map<string, IndexListing>> {
  const listings = new Map<string, IndexListing>();
  const checker = new ChainChecker(INDEX_CHAIN_ID);

  for await (const { line, text } of readTextLines(path.join(dir, INDEX_FILE), sizeBytes)) {
    const parsed = parseIndexRecord(text);
    if (!parsed.ok) {
      problems.push({ reason: 'malformed-line', file: INDEX_FILE, line, message: parsed.message });
      continue;
    }
    const record = parsed.value;
    const chainBreak = checker.check(record);
    if (chainBreak) {
      problems.push({ ...chainBreak, file: INDEX_FILE, line, seq: record.seq });
    }

    // A record that breaks the chain still shows which segments existed.
    const listing = listings.get(record.segment) ?? {};
    if (record.kind === 'open') listing.openLine ??= line;
    else listing.close = { record, line };
    listings.set(record.segment, listing);
  }
  return listings;
}

function compareWithClose(
  segmentId: string,
  last: { line: number; seq: number; hash: string } | undefined,
  close: { record: IndexRecord; line: number },
): AuditProblem | undefined {
  const { lastSeq, lastHash } = close.record;
  const matches =
    last === undefined
      ? lastSeq === undefined && lastHash === genesisHash(segmentId)
      : last.seq === lastSeq && last.hash === lastHash;
  if (matches) return undefined;

  const closedAt = lastSeq === undefined ? 'with no events' : `at seq ${lastSeq}`;
  const endsAt = last === undefined ? 'has no events' : `ends at seq ${last.seq}`;
  return {
    reason: 'truncated-segment',
    file: segmentFile(segmentId),
    segment: segmentId,
    ...(last ? { line: last.line, seq: last.seq } : {}),
    message: `segment ${endsAt}, but ${INDEX_FILE} line ${close.line} closed it ${closedAt}: events were removed, replaced or added after the close`,
  };
}

async function isFolder(dir: string): Promise<boolean> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new AuditError('the audit path is not a folder', {
        position: { file: dir },
        hint: "Pass the lake's _audit folder.",
      });
    }
    return true;
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return false;
    throw error;
  }
}
