// Real: the encoder and the parser over messages fast-check generates, with random delimiter sets
// and values full of delimiters, escape characters and line breaks. Faked: nothing.
import fc from 'fast-check';
import { encodeHl7Message } from './encode';
import { parseHl7File } from './parse-file';
import { expectedLeaves, messageArbitrary } from './soak/hl7-arbitraries';

const SETTINGS = { seed: 20261204, numRuns: 200 };

describe('encode and parse properties', () => {
  it('encode(parse(x)) is x for generated messages', () => {
    fc.assert(
      fc.property(messageArbitrary, ({ text }) => {
        const result = parseHl7File(text);

        expect(result.problems).toEqual([]);
        expect(result.messages).toHaveLength(1);
        expect(result.messages.map(encodeHl7Message)).toEqual([text]);
      }),
      SETTINGS,
    );
  });

  it('reads back every value exactly once decoded', () => {
    fc.assert(
      fc.property(messageArbitrary, ({ text, segments, delimiters }) => {
        const [message] = parseHl7File(text).messages;

        expect(message?.delimiters).toEqual(delimiters);
        for (const [path, value] of expectedLeaves(segments)) {
          expect([path, message?.get(path)]).toEqual([path, value]);
        }
      }),
      SETTINGS,
    );
  });

  it('reads the same from UTF-8 bytes as from text', () => {
    fc.assert(
      fc.property(messageArbitrary, ({ text }) => {
        const [fromText] = parseHl7File(text).messages;
        const [fromBytes] = parseHl7File(Buffer.from(text, 'utf8')).messages;

        expect(fromBytes?.charset).toBe('utf-8');
        expect(fromBytes?.text).toBe(fromText?.text);
      }),
      SETTINGS,
    );
  });
});
