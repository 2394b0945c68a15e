import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { isGzip, readFhirJson } from '@carelake/fhir';
import { splitHl7Stream } from '@carelake/hl7v2';
import { formatOfFile } from '../decode';
import { PipelineError } from '../errors';

/** One record cut from a file, to publish. */
export interface FileRecord {
  data: Uint8Array;
  /** 0-based index of the message, line or Bundle entry in the file. */
  record: number;
}

/**
 * Cut a file into stream records, one message or resource each, reading it piece by piece
 * where the format allows:
 * - HL7 v2 (`.hl7`, `.er7`, `.txt`): one record per message; FHS, BHS, BTS and FTS envelope
 *   segments are left out, and text before the first message is sent as a record of its own so
 *   that the consumer quarantines it;
 * - NDJSON (`.ndjson`, `.ndjson.gz`): one record per non-empty line;
 * - FHIR JSON (`.json`): one record per Bundle entry, with bundle-local `urn:uuid:` references
 *   resolved to `Type/id` first, since the entries travel apart. A deleted entry travels as a
 *   one-entry Bundle that keeps its request. A document with any problem is sent whole, so that
 *   the consumer quarantines its bad parts with their positions, as a file pipeline does.
 * @throws PipelineError for a name whose format is not known.
 */
export async function* recordsOfFile(path: string): AsyncGenerator<FileRecord> {
  const format = formatOfFile(basename(path));
  if (format === 'csv') {
    throw new PipelineError(
      `${basename(path)} is a CSV file; stream records are HL7 v2 messages or FHIR resources`,
      {
        position: { file: path },
        hint: 'Publish .hl7, .json or .ndjson files, or run CSV feeds with carelake pipeline run.',
      },
    );
  }
  const lower = path.toLowerCase();
  if (format === 'hl7v2') yield* hl7Records(path);
  else if (lower.endsWith('.ndjson') || lower.endsWith('.ndjson.gz')) yield* ndjsonRecords(path);
  else yield* fhirJsonRecords(path);
}

async function* hl7Records(path: string): AsyncGenerator<FileRecord> {
  let record = 0;
  for await (const piece of splitHl7Stream(createReadStream(path))) {
    if (piece.kind === 'envelope') continue;
    if (piece.kind === 'leading' && Buffer.from(piece.bytes).toString('latin1').trim() === '')
      continue;
    yield { data: piece.bytes, record: record++ };
  }
}

async function* ndjsonRecords(path: string): AsyncGenerator<FileRecord> {
  const head = await readHead(path, 2);
  const body = createReadStream(path);
  const chunks = isGzip(head) ? body.pipe(createGunzip()) : body;
  let pending = Buffer.alloc(0);
  let record = 0;
  for await (const chunk of chunks as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    let newline = pending.indexOf(0x0a);
    while (newline >= 0) {
      const line = pending.subarray(0, newline);
      pending = pending.subarray(newline + 1);
      if (line.toString('utf8').trim() !== '') yield { data: Buffer.from(line), record };
      record++;
      newline = pending.indexOf(0x0a);
    }
  }
  if (pending.toString('utf8').trim() !== '') yield { data: Buffer.from(pending), record };
}

async function* fhirJsonRecords(path: string): AsyncGenerator<FileRecord> {
  const bytes = await readFile(path);
  const result = readFhirJson(bytes.toString('utf8'), { file: basename(path) });
  if (
    result.problems.some((problem) => problem.severity === 'error') ||
    result.resources.length === 0
  ) {
    yield { data: bytes, record: 0 };
    return;
  }
  for (const entry of result.resources) {
    const body = entry.deleted
      ? {
          resourceType: 'Bundle',
          type: 'transaction',
          // The reader takes a deleted entry's time from Bundle.timestamp when the entry has no response.
          ...(entry.deletedAt !== undefined ? { timestamp: entry.deletedAt } : {}),
          entry: [{ request: { method: 'DELETE', url: deletedUrlOf(entry.deletedRef) } }],
        }
      : entry.resource;
    yield { data: Buffer.from(JSON.stringify(body), 'utf8'), record: entry.position };
  }
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function deletedUrlOf(ref: { resourceType: string; id: string } | undefined): string {
  return ref ? `${ref.resourceType}/${ref.id}` : '';
}
