// Real: shared HL7 v2 test files; readLeaf compared with Hl7Segment.valueAt. Faked: nothing.
import { listHl7Fixtures, readHl7Fixture } from '../../__fixtures__/testdata';
import { parseHl7File } from '../../parse-file';
import type { Hl7FieldLocation } from '../../path';
import { readLeaf } from './leaf-reader';

const NUMBERS = [undefined, 1, 2, 3];

describe('readLeaf', () => {
  it.each(listHl7Fixtures().map((name) => ({ case: name })))(
    'reads what valueAt reads in $case',
    ({ case: name }) => {
      const differences: string[] = [];
      for (const message of parseHl7File(readHl7Fixture(name)).messages) {
        for (const segment of message.segments) {
          for (let field = 1; field <= segment.fieldCount + 1; field++) {
            for (const repetition of NUMBERS) {
              for (const component of [...NUMBERS, 5, 9]) {
                for (const subcomponent of NUMBERS) {
                  const location: Hl7FieldLocation = { field, repetition, component, subcomponent };
                  // Twice, so that the second read comes from the split fields kept for the segment.
                  const first = readLeaf(segment, location);
                  const second = readLeaf(segment, location);
                  const expected = segment.valueAt(location);
                  if (first !== expected || second !== expected) {
                    differences.push(`${segment.label}-${field} ${JSON.stringify(location)}`);
                  }
                }
              }
            }
          }
        }
      }
      expect(differences).toEqual([]);
    },
  );
});
