// Real: findPart and countParts on inline field texts, checked against String.prototype.split.
// Faked: nothing.
import { countParts, findPart } from './part-range';

const texts = ['', 'A', 'A^B', '^', 'A^^B^', 'MRN1^^^FAC~MRN2^^^STATE', 'x~~y', '&&', 'a^b&c^d'];
const separators = ['^', '~', '&', '^^'];
const numbers = [1, 2, 3, 5, 0, -1, 1.5];

const splitCases = texts.flatMap((text) =>
  separators.flatMap((separator) =>
    numbers.map((number) => ({
      case: `part ${number} of ${JSON.stringify(text)} by ${separator}`,
      text,
      separator,
      number,
    })),
  ),
);

describe('findPart', () => {
  it.each(splitCases)('$case', ({ text, separator, number }) => {
    const range = { start: 0, end: text.length };
    const found = findPart(text, range, separator, number);
    const expected = text.split(separator)[number - 1];

    expect(found).toBe(expected !== undefined);
    if (found) expect(text.slice(range.start, range.end)).toBe(expected);
  });

  it('stays inside its range', () => {
    // `B^C` sits between offsets 2 and 5 of the whole text, as a component does in a field.
    const text = 'A~B^C~D^E';
    const range = { start: 2, end: 5 };

    expect(findPart(text, range, '^', 2)).toBe(true);
    expect(text.slice(range.start, range.end)).toBe('C');
    expect(findPart(text, { start: 2, end: 5 }, '^', 3)).toBe(false);
  });
});

describe('countParts', () => {
  it.each(
    texts.flatMap((text) =>
      separators.map((separator) => ({
        case: `${JSON.stringify(text)} by ${separator}`,
        text,
        separator,
      })),
    ),
  )('$case', ({ text, separator }) => {
    expect(countParts(text, separator)).toBe(text.split(separator).length);
  });
});
