import type { TrinoMacro } from './trino-macro';

/** Trino's `$["key"]` JSONPath steps rewritten as DuckDB's `$."key"`. */
const jsonPathSql = (path: string): string =>
  `system.main.regexp_replace(${path}, '\\[\\s*"([^"]*)"\\s*\\]', '."\\1"', 'g')`;

/** Trino's JSON functions that DuckDB lacks or names differently. */
export const JSON_MACROS: readonly TrinoMacro[] = [
  {
    // Trino returns NULL for an object or array, where json_extract_string returns its text.
    // json_value does too, but keeps a string's JSON quotes, which ->> then removes; this
    // parses the document once, unlike a json_type check before json_extract_string.
    name: 'json_extract_scalar',
    overloads: [`(json, path) AS CAST(json_value(json, ${jsonPathSql('path')}) AS JSON) ->> '$'`],
  },
  {
    // Trino returns 0 for a scalar and NULL for a missing path.
    name: 'json_size',
    overloads: [
      `(json, path) AS CAST(CASE WHEN json_type(json, ${jsonPathSql('path')}) IS NULL THEN NULL ` +
        `WHEN json_type(json, ${jsonPathSql('path')}) = 'ARRAY' THEN json_array_length(json, ${jsonPathSql('path')}) ` +
        `WHEN json_type(json, ${jsonPathSql('path')}) = 'OBJECT' THEN len(json_keys(json, ${jsonPathSql('path')})) ` +
        'ELSE 0 END AS BIGINT)',
    ],
  },
  { name: 'json_parse', overloads: ['(text) AS json(text)'] },
  { name: 'json_format', overloads: ['(json) AS CAST(json AS VARCHAR)'] },
];

/**
 * Trino's aggregates under their DuckDB names. A macro is not an aggregate
 * to DuckDB, so FILTER (WHERE ...) and DISTINCT need the DuckDB name.
 */
export const AGGREGATE_MACROS: readonly TrinoMacro[] = [
  // NOTE: DuckDB's HyperLogLog has no error parameter, so Trino's second argument is ignored.
  {
    name: 'approx_distinct',
    overloads: [
      '(value) AS approx_count_distinct(value)',
      '(value, max_error) AS approx_count_distinct(value)',
    ],
  },
  {
    name: 'approx_percentile',
    overloads: ['(value, percentage) AS approx_quantile(value, percentage)'],
  },
  // DuckDB's arbitrary is first(), which may return NULL; Trino's skips NULLs like any_value.
  { name: 'arbitrary', overloads: ['(value) AS any_value(value)'] },
];

/** Trino's array and map functions whose DuckDB counterparts differ in name or meaning. */
export const COLLECTION_MACROS: readonly TrinoMacro[] = [
  {
    // DuckDB's cardinality takes only a map, and len only a list. So the untyped form
    // counts either through its JSON form, and typed forms skip that for common lists.
    name: 'cardinality',
    overloads: [
      '(items VARCHAR[]) AS len(items)',
      '(items BIGINT[]) AS len(items)',
      '(items INTEGER[]) AS len(items)',
      '(items DOUBLE[]) AS len(items)',
      "(items) AS CAST(CASE json_type(to_json(items)) WHEN 'OBJECT' THEN len(json_keys(to_json(items))) " +
        'ELSE json_array_length(to_json(items)) END AS BIGINT)',
    ],
  },
  {
    // A subscript reads a list by 1-based index (negative from the end) and a map by key,
    // NULL when absent, as Trino's element_at does; DuckDB's element_at returns a list.
    name: 'element_at',
    overloads: ['(items, key) AS items[key]'],
  },
  {
    name: 'array_join',
    overloads: [
      '(items, delimiter) AS array_to_string(items, delimiter)',
      '(items, delimiter, null_replacement) AS array_to_string(list_transform(items, lambda item: coalesce(CAST(item AS VARCHAR), null_replacement)), delimiter)',
    ],
  },
  {
    name: 'sequence',
    overloads: [
      '(first DATE, last DATE) AS list_transform(generate_series(first, last, INTERVAL 1 DAY), lambda day: CAST(day AS DATE))',
      '(first DATE, last DATE, step) AS list_transform(generate_series(first, last, step), lambda day: CAST(day AS DATE))',
      '(first, last) AS generate_series(first, last)',
      '(first, last, step) AS generate_series(first, last, step)',
    ],
  },
];

/**
 * Trino's string and regular expression functions. Trino's regexp_replace
 * replaces every match and writes groups as $1; DuckDB's replaces the first
 * match unless given 'g' and writes groups as \1. Trino's regexp_extract
 * returns NULL when nothing matches, DuckDB's an empty string.
 */
export const STRING_MACROS: readonly TrinoMacro[] = [
  { name: 'regexp_like', overloads: ['(text, pattern) AS regexp_matches(text, pattern)'] },
  {
    name: 'regexp_replace',
    overloads: [
      "(text, pattern) AS system.main.regexp_replace(text, pattern, '', 'g')",
      "(text, pattern, replacement) AS system.main.regexp_replace(text, pattern, system.main.regexp_replace(replacement, '\\$(\\d)', '\\\\\\1', 'g'), 'g')",
    ],
  },
  {
    name: 'regexp_extract',
    overloads: [
      '(text, pattern) AS CASE WHEN regexp_matches(text, pattern) THEN system.main.regexp_extract(text, pattern) END',
      '(text, pattern, group_index) AS CASE WHEN regexp_matches(text, pattern) THEN system.main.regexp_extract(text, pattern, group_index) END',
    ],
  },
  {
    name: 'replace',
    overloads: [
      "(text, search) AS system.main.replace(text, search, '')",
      '(text, search, replacement) AS system.main.replace(text, search, replacement)',
    ],
  },
  { name: 'is_nan', overloads: ['(value) AS isnan(value)'] },
  { name: 'is_finite', overloads: ['(value) AS isfinite(value)'] },
  { name: 'is_infinite', overloads: ['(value) AS isinf(value)'] },
];
