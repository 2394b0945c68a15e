import { readTableRows, type TableLayout } from './delimited-table';
import { FieldChecks } from './field-checks';
import type { ReadOptions, VocabInput } from './input';
import type { VocabItem } from './problems';

/**
 * Reads a delimited release file into typed records. `build` turns one line's fields, in the
 * order of the layout's columns, into a record and reports each invalid field to `checks`.
 * A line with a problem yields its problems instead of its record. Unreadable lines pass through.
 */
export async function* readTableRecords<T>(
  input: VocabInput,
  layout: TableLayout,
  options: ReadOptions,
  build: (fields: string[], checks: FieldChecks) => T,
): AsyncGenerator<VocabItem<T>> {
  for await (const batch of readTableRows(input, layout, options)) {
    for (const row of batch) {
      if (!('fields' in row)) {
        yield row;
        continue;
      }

      const checks = new FieldChecks(options.file, row.line);
      const record = build(row.fields, checks);
      if (checks.ok) yield { kind: 'record', line: row.line, record };
      else yield* checks.problems;
    }
  }
}
