/**
 * A DuckDB macro with a Trino function's name and meaning. Each overload is
 * `(parameters) AS expression`; DuckDB picks one by argument count and, where
 * a parameter has a type, by argument type, typed overloads first.
 */
export interface TrinoMacro {
  name: string;
  overloads: readonly string[];
}

/** Build the statement that creates a macro, replacing one of the same name. */
export function createMacroSql(macro: TrinoMacro): string {
  return `CREATE OR REPLACE MACRO ${macro.name} ${macro.overloads.join(', ')}`;
}
