import { ConfigError, type ConfigIssue, type DatasetDefinition } from '@carelake/core';
import { findJsonSyntaxError } from './json-syntax';
import { isJsonObject } from './types';
import { VIEW_DATABASE } from './view-dataset';
import { createFhirViewTable, type FhirViewTable } from './view-table';
import { compileViewDefinition, ViewDefinitionError } from './views';

/** The text of one ViewDefinition file, named by its path. */
export interface FhirViewSource {
  file: string;
  text: string;
}

export interface CompileFhirViewsOptions {
  /**
   * The pipeline's output tables. Only views whose table is among them are compiled, and
   * every `fhir.*` table among them needs a view. Every view is compiled when left out.
   */
  tables?: readonly string[];
  /** Dataset files by table, whose steward metadata the view tables take (see `deriveViewDataset`). */
  datasets?: ReadonlyMap<string, DatasetDefinition>;
}

/** The compiled view tables of a pipeline, by table and by the resource type they read. */
export class FhirViewSet {
  private readonly byResourceType = new Map<string, FhirViewTable[]>();

  constructor(readonly tables: readonly FhirViewTable[]) {
    for (const table of tables) {
      const same = this.byResourceType.get(table.view.resource) ?? [];
      same.push(table);
      this.byResourceType.set(table.view.resource, same);
    }
  }

  /** Returns the view tables that read resources of a type, in the order their files were given. */
  tablesOf(resourceType: string): readonly FhirViewTable[] {
    return this.byResourceType.get(resourceType) ?? [];
  }

  find(table: string): FhirViewTable | undefined {
    return this.tables.find((candidate) => candidate.table === table);
  }
}

/**
 * Compiles ViewDefinition files into view tables, once per run. A view named X writes
 * table `fhir.X`, so each view needs a lower-case `name` that no other file uses. The
 * compiler does no I/O: the caller reads the files.
 *
 * @throws ConfigError listing every problem: invalid JSON, a missing or repeated name,
 * each problem of each view, a view that does not match its dataset file, and a `fhir.*`
 * table of `options.tables` without a view. Key paths start with the file they are in.
 */
export function compileFhirViews(sources: readonly FhirViewSource[], options: CompileFhirViewsOptions = {}): FhirViewSet {
  const failures = new ViewFailures();
  const fileOfName = new Map<string, string>();
  const tables: FhirViewTable[] = [];

  for (const source of sources) {
    const report = (keyPath: string, message: string): void => failures.addFileIssue(source.file, keyPath, message);
    const view = parseViewJson(source.text, report);
    if (view === undefined) continue;

    const name = view['name'];
    if (typeof name !== 'string' || name === '') {
      report('name', 'is missing: a view needs a name, which names its table fhir.<name>');
      continue;
    }
    const earlier = fileOfName.get(name);
    if (earlier !== undefined) {
      report('name', `"${name}" is also the name of the view in ${earlier}. Give each view its own name.`);
      continue;
    }
    fileOfName.set(name, source.file);

    const table = `${VIEW_DATABASE}.${name}`;
    if (options.tables !== undefined && !options.tables.includes(table)) continue;
    const compiled = compileViewTable(view, name, options.datasets?.get(table), report, failures);
    if (compiled) tables.push(compiled);
  }

  for (const table of options.tables ?? []) {
    if (!table.startsWith(`${VIEW_DATABASE}.`)) continue;
    const name = table.slice(VIEW_DATABASE.length + 1);
    if (fileOfName.has(name)) continue;
    const known = [...fileOfName.keys()].sort().join(', ') || 'none';
    failures.add(`${table} has no view`, [
      { keyPath: 'outputs', message: `${table} has no view: no view file has the name "${name}" (views found: ${known})` },
    ]);
  }

  failures.throwIfAny();
  return new FhirViewSet(tables);
}

/**
 * The problems found so far, grouped by what they are in: a view file, the table a view
 * derives, or the outputs. One group is raised with its own message, several together.
 */
class ViewFailures {
  private readonly groups: Array<{ message: string; issues: ConfigIssue[]; file?: string }> = [];

  add(message: string, issues: ConfigIssue[], file?: string): void {
    this.groups.push({ message, issues, ...(file === undefined ? {} : { file }) });
  }

  /** Adds an issue of a view file, whose key path then starts with the file. */
  addFileIssue(file: string, keyPath: string, message: string): void {
    let group = this.groups.find((candidate) => candidate.file === file);
    if (!group) {
      group = { message: `FHIR view file ${file} is invalid`, issues: [], file };
      this.groups.push(group);
    }
    group.issues.push({ keyPath: `${file}: ${keyPath || '(root)'}`, message });
  }

  throwIfAny(): void {
    const [only] = this.groups;
    if (!only) return;
    if (this.groups.length === 1) {
      throw new ConfigError(only.message, only.issues, {
        ...(only.file === undefined ? {} : { position: { file: only.file } }),
        hint: 'Each problem names its key path; fix them and run the pipeline again.',
      });
    }
    const issues = this.groups.flatMap((group) => group.issues);
    throw new ConfigError(`the FHIR views of the pipeline have ${issues.length} problems`, issues);
  }
}

function parseViewJson(text: string, report: (keyPath: string, message: string) => void): Record<string, unknown> | undefined {
  let view: unknown;
  try {
    view = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    const syntaxError = findJsonSyntaxError(text);
    const where = syntaxError ? ` at line ${syntaxError.line}, column ${syntaxError.column}: ${syntaxError.reason}` : '';
    report('', `is not valid JSON${where}`);
    return undefined;
  }
  if (!isJsonObject(view)) {
    report('', 'must be a JSON object with resourceType ViewDefinition');
    return undefined;
  }
  return view;
}

function compileViewTable(
  view: Record<string, unknown>,
  name: string,
  dataset: DatasetDefinition | undefined,
  report: (keyPath: string, message: string) => void,
  failures: ViewFailures,
): FhirViewTable | undefined {
  const table = `${VIEW_DATABASE}.${name}`;
  try {
    const compiled = compileViewDefinition(view, { name });
    // The engine reads elements R4 does not define as empty, as the SQL-on-FHIR suite expects.
    // In a pipeline such a path is almost always a typo that would fill a column with nulls.
    if (compiled.warnings.length > 0) {
      for (const warning of compiled.warnings) {
        const at = warning.character === undefined ? '' : ` (at character ${warning.character})`;
        report(warning.keyPath, `${warning.message}${at}; fix the path to an element FHIR R4 defines`);
      }
      return undefined;
    }
    return createFhirViewTable(compiled, dataset);
  } catch (error) {
    if (error instanceof ViewDefinitionError) {
      for (const issue of error.issues) {
        const at = issue.character === undefined ? '' : ` (at character ${issue.character})`;
        report(issue.keyPath, `${issue.message}${at}`);
      }
      return undefined;
    }
    // Problems of the derived table and of its dataset file are named by the table.
    if (error instanceof ConfigError) {
      const issues = error.issues.map((issue) => ({ keyPath: `${table}: ${issue.keyPath}`, message: issue.message }));
      failures.add(error.message, issues);
      return undefined;
    }
    throw error;
  }
}
