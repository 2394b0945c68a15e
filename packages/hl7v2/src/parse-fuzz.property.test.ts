// Real: every file of the shared HL7 v2 test set, damaged by fast-check with byte flips,
// deletions and insertions, then parsed whole in both modes and as a stream. Faked: nothing.
import fc from 'fast-check';
import { listHl7Fixtures, readHl7Fixture } from './__fixtures__/testdata';
import { mutatedInputArbitrary } from './soak/hl7-arbitraries';
import { checkDamagedInput, checkStreamMatchesFile } from './soak/parse-checks';

const corpus = listHl7Fixtures().map(readHl7Fixture);

describe('parsing damaged input', () => {
  it('returns problems instead of throwing', () => {
    fc.assert(
      fc.property(mutatedInputArbitrary(corpus), (bytes) => {
        expect(checkDamagedInput(bytes)).toBeUndefined();
      }),
      { seed: 20261204, numRuns: 200 },
    );
  });

  it('parses the same as a stream of chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedInputArbitrary(corpus),
        fc.integer({ min: 1, max: 4096 }),
        async (bytes, chunkSize) => {
          expect(await checkStreamMatchesFile(bytes, chunkSize)).toBeUndefined();
        },
      ),
      { seed: 20261204, numRuns: 100 },
    );
  });

  it('holds for empty and one-byte inputs', () => {
    for (let byte = 0; byte < 256; byte++) {
      expect(checkDamagedInput(Uint8Array.of(byte))).toBeUndefined();
    }
    expect(checkDamagedInput(new Uint8Array())).toBeUndefined();
  });
});
