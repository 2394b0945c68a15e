import fc from 'fast-check';
import type { Hl7Delimiters } from '../delimiters';
import {
  encodeHl7Segment,
  type Hl7ComponentInput,
  type Hl7FieldInput,
  type Hl7LeafInput,
  type Hl7RepetitionInput,
  type Hl7SegmentInput,
} from '../encode';

/**
 * Printable ASCII punctuation that may serve as a delimiter. The double quote is left out
 * because `""` is the HL7 null.
 */
const DELIMITER_CANDIDATES = [..."!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];

/** A field separator and 2 to 5 distinct encoding characters. */
export const delimitersArbitrary: fc.Arbitrary<Hl7Delimiters> = fc
  .shuffledSubarray(DELIMITER_CANDIDATES, { minLength: 3, maxLength: 6 })
  .map(([field = '|', component = '^', repetition = '~', escape, subcomponent, truncation]) => ({
    field,
    component,
    repetition,
    escape,
    subcomponent,
    truncation,
  }));

/** A generated message: its segments as values, and the ER7 text they encode to. */
export interface GeneratedMessage {
  delimiters: Hl7Delimiters;
  segments: Hl7SegmentInput[];
  text: string;
}

/** Leaves of generated text: letters, digits, spaces, non-ASCII text, and every delimiter candidate, CR and LF when they can be escaped. */
function leafArbitrary(delimiters: Hl7Delimiters): fc.Arbitrary<Hl7LeafInput> {
  const plain = [...'AZaz09 ', '\u00e9', '\u4e2d', '\u{1f600}'];
  const special = delimiters.escape === undefined ? [] : [...DELIMITER_CANDIDATES, '"', '\r', '\n'];
  const text = fc.string({ unit: fc.constantFrom(...plain, ...special), maxLength: 8 });
  const extras: fc.Arbitrary<Hl7LeafInput>[] = [fc.constant(null), fc.constant(undefined)];
  if (delimiters.escape !== undefined) extras.push(fc.constant('""'));
  return fc.oneof(
    { arbitrary: text, weight: 6 },
    ...extras.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
}

function fieldArbitrary(delimiters: Hl7Delimiters): fc.Arbitrary<Hl7FieldInput> {
  const leaf = leafArbitrary(delimiters);
  const component: fc.Arbitrary<Hl7ComponentInput> =
    delimiters.subcomponent === undefined
      ? leaf
      : fc.oneof(leaf, fc.array(leaf, { minLength: 2, maxLength: 3 }));
  const repetition: fc.Arbitrary<Hl7RepetitionInput> = fc.oneof(
    leaf,
    fc.array(component, { minLength: 2, maxLength: 4 }),
  );
  return fc.oneof(
    { arbitrary: repetition, weight: 3 },
    {
      arbitrary: fc
        .array(repetition, { minLength: 2, maxLength: 3 })
        .map((repetitions) => ({ repetitions })),
      weight: 1,
    },
  );
}

function fieldsArbitrary(
  delimiters: Hl7Delimiters,
  first: number,
  maxFields: number,
): fc.Arbitrary<Record<number, Hl7FieldInput>> {
  return fc
    .array(fieldArbitrary(delimiters), { maxLength: maxFields })
    .map((values) => Object.fromEntries(values.map((value, index) => [first + index, value])));
}

/** Messages with random delimiters, an MSH and up to four other segments whose values hold delimiters and escapes. */
export const messageArbitrary: fc.Arbitrary<GeneratedMessage> = delimitersArbitrary.chain(
  (delimiters) =>
    fc
      .record({
        headerExtras: fieldsArbitrary(delimiters, 13, 3),
        sender: leafArbitrary(delimiters),
        others: fc.array(
          fc.record({
            id: fc.constantFrom('PID', 'PV1', 'OBX', 'NTE', 'ZPI'),
            fields: fieldsArbitrary(delimiters, 1, 6),
          }),
          { maxLength: 4 },
        ),
      })
      .map(({ headerExtras, sender, others }) => {
        const header: Hl7SegmentInput = {
          id: 'MSH',
          fields: { 3: sender, 9: ['ORU', 'R01'], 10: 'CTRL', ...headerExtras },
        };
        const segments = [header, ...others];
        const text =
          segments.map((segment) => encodeHl7Segment(segment, delimiters)).join('\r') + '\r';
        return { delimiters, segments, text };
      }),
);

/** Every leaf a generated segment list sets, as a path and the value reading it must return. */
export function expectedLeaves(
  segments: readonly Hl7SegmentInput[],
): Array<[string, Hl7LeafInput]> {
  const leaves: Array<[string, Hl7LeafInput]> = [];
  const occurrences = new Map<string, number>();
  for (const segment of segments) {
    const occurrence = (occurrences.get(segment.id) ?? 0) + 1;
    occurrences.set(segment.id, occurrence);
    const label = occurrence === 1 ? segment.id : `${segment.id}[${occurrence}]`;
    for (const [number, value] of Object.entries(segment.fields)) {
      const repetitions = isRepeated(value) ? value.repetitions : [value];
      repetitions.forEach((repetition, r) => {
        const components = Array.isArray(repetition) ? repetition : [repetition];
        components.forEach((component: Hl7ComponentInput, c: number) => {
          const subcomponents = Array.isArray(component) ? component : [component];
          subcomponents.forEach((leaf: Hl7LeafInput, s: number) => {
            leaves.push([
              `${label}-${number}[${r + 1}].${c + 1}.${s + 1}`,
              leaf === '' ? undefined : leaf,
            ]);
          });
        });
      });
    }
  }
  return leaves;
}

function isRepeated(
  value: Hl7FieldInput,
): value is { readonly repetitions: readonly Hl7RepetitionInput[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Byte sequences that exercise framing: terminators, a header, delimiters, a byte-order mark, invalid UTF-8. */
const INSERTIONS = [
  '\r',
  '\n',
  '\r\n',
  'MSH|^~\\&|',
  'BHS|^~\\&',
  'BTS|1',
  'FTS',
  '|',
  '^',
  '~',
  '\\',
  '&',
  '\\X0D\\',
  '""',
].map((text) => Buffer.from(text, 'latin1'));
const RAW_INSERTIONS = [
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0x00]),
];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Buffer };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.constantFrom(...INSERTIONS, ...RAW_INSERTIONS),
  }),
);

function applyMutation(bytes: Buffer, mutation: Mutation): Buffer {
  if (bytes.length === 0) return mutation.kind === 'insert' ? mutation.bytes : bytes;
  const at = mutation.at % bytes.length;
  switch (mutation.kind) {
    case 'flip': {
      const copy = Buffer.from(bytes);
      copy[at] = mutation.byte;
      return copy;
    }
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.length)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), mutation.bytes, bytes.subarray(at)]);
  }
}

/** Pick a corpus file and apply 1 to 8 random byte flips, deletions and insertions to it. */
export function mutatedInputArbitrary(corpus: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .record({
      source: fc.constantFrom(...corpus),
      mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 8 }),
    })
    .map(({ source, mutations }) => mutations.reduce(applyMutation, source));
}
