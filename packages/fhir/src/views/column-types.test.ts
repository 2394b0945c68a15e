// Real: the column type mapping on literal column descriptions; nothing is faked.
import { viewColumnTableType } from './column-types';

describe('viewColumnTableType', () => {
  it.each([
    { case: 'boolean', type: 'boolean', collection: false, expected: 'boolean' },
    { case: 'integer', type: 'integer', collection: false, expected: 'int' },
    { case: 'positiveInt', type: 'positiveInt', collection: false, expected: 'int' },
    { case: 'unsignedInt', type: 'unsignedInt', collection: false, expected: 'int' },
    { case: 'integer64', type: 'integer64', collection: false, expected: 'bigint' },
    { case: 'decimal', type: 'decimal', collection: false, expected: 'double' },
    { case: 'date kept as text', type: 'date', collection: false, expected: 'string' },
    { case: 'dateTime kept as text', type: 'dateTime', collection: false, expected: 'string' },
    { case: 'instant kept as text', type: 'instant', collection: false, expected: 'string' },
    { case: 'code', type: 'code', collection: false, expected: 'string' },
    {
      case: 'complex type as JSON',
      type: 'CodeableConcept',
      collection: false,
      expected: 'string',
    },
    { case: 'unknown type', type: undefined, collection: false, expected: 'string' },
    {
      case: 'collection of integers as JSON',
      type: 'integer',
      collection: true,
      expected: 'string',
    },
  ])('maps $case', ({ type, collection, expected }) => {
    expect(viewColumnTableType({ type, collection })).toBe(expected);
  });
});
