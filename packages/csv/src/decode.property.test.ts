// Real: decodeCsv over CSV text that a small RFC 4180 writer in this file builds from records fast-check generates,
// cut into chunks of random sizes. Faked: nothing.
import fc from 'fast-check';
import { decodeAll } from './__fixtures__/input';
import type { CsvSchemaInput } from './schema';

const SETTINGS = { seed: 20240501, numRuns: 150 };

const schema: CsvSchemaInput = {
  columns: [
    { name: 'claim_id', type: 'integer', required: true },
    { name: 'note', type: 'string', nullValues: [] },
    { name: 'paid', type: 'boolean' },
    { name: 'service_date', type: 'date' },
    { name: 'amount', type: 'decimal' },
  ],
};

interface GeneratedRecord {
  claim_id: number;
  note: string;
  paid: boolean;
  service_date: Date;
  amount: number;
}

/** Text full of what CSV must quote: delimiters, quotes, CR, LF and CRLF, between arbitrary graphemes. */
const noteArbitrary = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom(',', '"', '\n', '\r', '\r\n', ' ', '""')), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

const recordArbitrary: fc.Arbitrary<GeneratedRecord> = fc.record({
  claim_id: fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  note: noteArbitrary,
  paid: fc.boolean(),
  service_date: fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))),
  // -0 prints as "0", so it cannot come back as -0.
  amount: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
});

/** Quotes a field that contains the delimiter, a quote or a line break, doubling its quotes, as RFC 4180 requires. */
function writeField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeDate(date: Date): string {
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** Counts line breaks the way a text editor numbers lines: LF, CRLF and a lone CR each end one. */
function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** Writes the records as CSV and returns the text with the physical line of each record. */
function writeCsv(records: GeneratedRecord[], lineEnd: string): { text: string; lines: number[] } {
  let text = `claim_id,note,paid,service_date,amount${lineEnd}`;
  const lines: number[] = [];
  for (const record of records) {
    lines.push(countLineBreaks(text) + 1);
    const fields = [String(record.claim_id), record.note, String(record.paid), writeDate(record.service_date), String(record.amount)];
    text += fields.map(writeField).join(',') + lineEnd;
  }
  return { text, lines };
}

describe('decodeCsv properties', () => {
  it('round-trips written records and lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArbitrary, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 64 }),
        async (records, lineEnd, chunkBytes) => {
          const { text, lines } = writeCsv(records, lineEnd);
          const result = await decodeAll(text, schema, chunkBytes);

          expect(result.problems).toEqual([]);
          expect(result.records.map((record) => record.values)).toEqual(records);
          expect(result.records.map((record) => record.line)).toEqual(lines);
          expect(result.records.map((record) => record.recordIndex)).toEqual(records.map((_, index) => index));
        },
      ),
      SETTINGS,
    );
  });

  it('reads the same at any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArbitrary, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 16 }), async (records, chunkBytes) => {
        const { text } = writeCsv(records, '\r\n');
        const whole = await decodeAll(text, schema);
        const chunked = await decodeAll(text, schema, chunkBytes);

        expect(chunked).toEqual(whole);
      }),
      SETTINGS,
    );
  });

  it('numbers records of any text in order', async () => {
    const looseSchema: CsvSchemaInput = {
      header: false,
      columns: [
        { name: 'member_id', type: 'string' },
        { name: 'note', type: 'string' },
      ],
    };
    const textArbitrary = fc
      .array(fc.constantFrom('a', 'b', ',', '"', '""', '\n', '\r', '\r\n', ' ', 'é'), { maxLength: 60 })
      .map((parts) => parts.join(''));

    await fc.assert(
      fc.asyncProperty(textArbitrary, fc.integer({ min: 1, max: 8 }), async (text, chunkBytes) => {
        const result = await decodeAll(text, looseSchema, chunkBytes);
        const items = [...result.records, ...result.problems].sort((a, b) => a.recordIndex - b.recordIndex);
        const indexes = [...new Set(items.map((item) => item.recordIndex))];
        const lastLine = text === '' ? 0 : countLineBreaks(text.replace(/(\r\n|\r|\n)$/, '')) + 1;

        expect(indexes).toEqual(indexes.map((_, position) => position));
        for (const item of items) {
          expect(item.line).toBeGreaterThanOrEqual(1);
          expect(item.line).toBeLessThanOrEqual(lastLine);
        }
        const lines = items.map((item) => item.line);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
      }),
      { ...SETTINGS, numRuns: 400 },
    );
  });
});
