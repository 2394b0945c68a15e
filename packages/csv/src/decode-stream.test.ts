// Real: a 100,000-row CSV file written to a temp folder and read back with fs.createReadStream into decodeCsv; nothing is faked.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeCsv } from './decode';
import type { CsvRecord } from './problems';
import type { CsvSchemaInput } from './schema';

const ROWS = 100_000;
const READ_CHUNK_BYTES = 16 * 1024;
/**
 * How far reading may run ahead of the records yielded: the stream buffers between the file and
 * the decoder plus csv-parse's output batches, far below the file's 4.8 MB.
 */
const MAX_READ_AHEAD_BYTES = 1024 * 1024;

const schema: CsvSchemaInput = {
  columns: [
    { name: 'claim_id', header: 'Claim ID', type: 'integer', required: true },
    { name: 'member_name', header: 'Member Name', type: 'string' },
    { name: 'service_date', header: 'Service Date', type: 'date', format: 'MM/DD/YYYY' },
    { name: 'billed_amount', header: 'Billed', type: 'decimal', precision: 12, scale: 2 },
    { name: 'in_network', header: 'In Network', type: 'boolean', trueValues: ['Y'], falseValues: ['N'] },
  ],
};

function rowOf(index: number): string {
  const month = String((index % 12) + 1).padStart(2, '0');
  const day = String((index % 28) + 1).padStart(2, '0');
  // Every 1000th name spans two lines, so line numbers drift from record numbers.
  const name = index % 1000 === 0 ? `"Member ${index}\nc/o Guardian"` : `"Member ${index}, Jr."`;
  return `${index},${name},${month}/${day}/2023,${index}.${String(index % 100).padStart(2, '0')},${index % 3 === 0 ? 'Y' : 'N'}`;
}

describe('decodeCsv streaming', () => {
  let folder: string;
  let file: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'carelake-csv-'));
    file = path.join(folder, 'claims.csv');
    const lines = ['Claim ID,Member Name,Service Date,Billed,In Network'];
    for (let index = 0; index < ROWS; index++) lines.push(rowOf(index));
    await writeFile(file, `${lines.join('\r\n')}\r\n`);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('decodes 100,000 rows read from disk in chunks, reading ahead a bounded amount', async () => {
    let bytesRead = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
        bytesRead += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }

    const sampled = new Map<number, CsvRecord>();
    let count = 0;
    let problems = 0;
    let bytesDecoded = 0;
    let maxReadAhead = 0;
    for await (const item of decodeCsv(counted(), schema, { file: 'landing/claims/claims.csv' })) {
      if (item.kind === 'problem') {
        problems++;
        continue;
      }
      count++;
      bytesDecoded += Buffer.byteLength(rowOf(item.recordIndex)) + 2;
      maxReadAhead = Math.max(maxReadAhead, bytesRead - bytesDecoded);
      if ([0, 1, 999, 1000, 1001, 54_321, ROWS - 1].includes(item.recordIndex)) sampled.set(item.recordIndex, item);
    }

    expect(problems).toBe(0);
    expect(count).toBe(ROWS);
    expect(bytesRead).toBeGreaterThan(4 * MAX_READ_AHEAD_BYTES);
    expect(maxReadAhead).toBeLessThan(MAX_READ_AHEAD_BYTES);

    expect(sampled.get(0)?.values).toEqual({
      claim_id: 0,
      member_name: 'Member 0\nc/o Guardian',
      service_date: new Date('2023-01-01T00:00:00Z'),
      billed_amount: '0.00',
      in_network: true,
    });
    expect(sampled.get(54_321)?.values).toEqual({
      claim_id: 54_321,
      member_name: 'Member 54321, Jr.',
      service_date: new Date('2023-10-02T00:00:00Z'),
      billed_amount: '54321.21',
      in_network: true,
    });
    // Line = 1 header line + one line per record + one more for each two-line name before it.
    expect([0, 1, 999, 1000, 1001, ROWS - 1].map((index) => sampled.get(index)?.line)).toEqual([
      2, 4, 1002, 1003, 1005, ROWS + 1 + 100,
    ]);
  });
});
