// Real: the shipped restricted ZIP3 lists and the ZIP generalizer. Nothing is faked.
import { generalizeZip, RESTRICTED_ZIP3_LISTS, restrictedZip3Prefixes } from './zip3';

describe('generalizeZip', () => {
  it.each([
    { case: 'ordinary ZIP', list: 'union', zip: '98052', expected: '980' },
    { case: 'ZIP+4 with hyphen', list: 'union', zip: '98052-6399', expected: '980' },
    { case: 'ZIP+4 without hyphen', list: 'union', zip: '980526399', expected: '980' },
    { case: 'restricted in both lists', list: 'union', zip: '03601', expected: '000' },
    { case: '2000-only prefix under union', list: 'union', zip: '79001', expected: '000' },
    { case: '2000-only prefix under 2010 list', list: 'census-2010', zip: '79001', expected: '790' },
    { case: '2010-only prefix under 2000 list', list: 'hhs-2000', zip: '36901', expected: '369' },
    { case: '2010-only prefix under 2010 list', list: 'census-2010', zip: '36901', expected: '000' },
    { case: 'Canadian postal code', list: 'union', zip: 'K1A 0B1', expected: null },
    { case: 'four digits', list: 'union', zip: '0213', expected: null },
  ] as const)('$case', ({ list, zip, expected }) => {
    expect(generalizeZip(zip, restrictedZip3Prefixes(list))).toBe(expected);
  });

  it('ships the published list sizes', () => {
    expect(RESTRICTED_ZIP3_LISTS['hhs-2000']).toHaveLength(17);
    expect(RESTRICTED_ZIP3_LISTS['census-2010']).toHaveLength(14);
    expect(restrictedZip3Prefixes('union').size).toBe(19);
  });
});
