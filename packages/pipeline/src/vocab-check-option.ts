import { z } from 'zod';

const tableName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');
const columnName = z.string().regex(/^[a-z_][a-z0-9_]{0,254}$/, 'must be lower case letters, digits and "_"');

/**
 * The `vocabulary` option of a pipeline file: how rows are checked against the vocabulary
 * tables. Columns are checked when their dataset binds them (`vocabulary: loinc`).
 *
 * ```yaml
 * vocabulary:
 *   check: quarantine
 *   dateColumns: { clinical.immunizations: administered_time, clinical.observations: effective_time }
 * ```
 */
export const vocabularyCheckSchema = z
  .object({
    /**
     * `flag`: unknown and retired codes are counted, and written to the `code_flags` column of
     * datasets that declare it. `quarantine`: rows with such codes go to quarantine instead of
     * their table. `off`: no check. Left out: `flag`.
     */
    check: z.enum(['flag', 'quarantine', 'off']).default('flag'),
    /**
     * Per table, the date or timestamp column whose day a code must be valid on, such as the date
     * of service. Rows of other tables, and rows without a date, are checked against the newest
     * release loaded.
     */
    dateColumns: z.record(tableName, columnName).default({}),
  })
  .strict();

export type VocabularyCheckSettings = z.output<typeof vocabularyCheckSchema>;

/** The settings of a pipeline file without a `vocabulary` option. */
export const DEFAULT_VOCABULARY_CHECK: VocabularyCheckSettings = { check: 'flag', dateColumns: {} };
