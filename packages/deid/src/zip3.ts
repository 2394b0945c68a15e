/**
 * Three-digit ZIP prefixes whose combined population is 20,000 or fewer, which Safe Harbor
 * (45 CFR 164.514(b)(2)(i)(B)) requires to be replaced by `000`.
 *
 * - `hhs-2000`: the 17 prefixes the HHS de-identification guidance (2012-11-26) lists from 2000
 *   Census ZCTA data, citing 67 FR 53182, 53233-53234 (Aug. 14, 2002).
 * - `census-2010`: a 14-prefix list attributed to the 2010 Census, as shipped in the
 *   `restrictedZipCodeTabulationAreas` setting of Microsoft's Tools for Health Data Anonymization.
 * - `union`: both lists together (19 prefixes), the default, so that neither list's gaps leak.
 *
 * NOTE: the 2010 list is taken from third-party tools, not from a Census table read here, and no
 * list from the 2020 Census is shipped. HHS tells covered entities not to rely on its list where more current data has been published.
 */
export const RESTRICTED_ZIP3_LISTS = {
  'hhs-2000': ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'],
  'census-2010': ['036', '059', '102', '203', '205', '369', '556', '692', '821', '823', '878', '879', '884', '893'],
} as const;

export const RESTRICTED_ZIP3_LIST_NAMES = ['hhs-2000', 'census-2010', 'union'] as const;
export type RestrictedZip3ListName = (typeof RESTRICTED_ZIP3_LIST_NAMES)[number];

/** Returns the restricted prefixes of a named list. */
export function restrictedZip3Prefixes(name: RestrictedZip3ListName): ReadonlySet<string> {
  if (name === 'union') return new Set([...RESTRICTED_ZIP3_LISTS['hhs-2000'], ...RESTRICTED_ZIP3_LISTS['census-2010']]);
  return new Set(RESTRICTED_ZIP3_LISTS[name]);
}

/**
 * Cuts a US ZIP or ZIP+4 code to its first three digits, or `000` for a restricted prefix.
 * Returns null for a value that does not start with five digits, because a prefix of a foreign
 * or malformed postal code could be more specific than a ZIP3.
 */
export function generalizeZip(value: string, restricted: ReadonlySet<string>): string | null {
  const match = /^\s*(\d{3})\d{2}(?:-?\d{4})?\s*$/.exec(value);
  if (!match) return null;
  const prefix = match[1] as string;
  return restricted.has(prefix) ? '000' : prefix;
}
