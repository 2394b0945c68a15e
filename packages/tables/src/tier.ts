/** Name of the hot tier, the lake root, where data files are written first and commit files live. */
export const HOT_TIER = 'hot';

/** Returns the tier of a data file, `hot` when the file names none. */
export function tierOf(file: { tier?: string }): string {
  return file.tier ?? HOT_TIER;
}
