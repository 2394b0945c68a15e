import { LINEAGE_COLUMNS, type ColumnType, type DatasetDefinition } from '@carelake/core';
import { BUILTINS, builtinChoices, resolveBuiltin, type BuiltinSpec } from './builtins';
import {
  SOURCE_KEYS,
  type BranchDefinition,
  type ColumnDefinition,
  type Constant,
  type MappingFile,
} from './schema';
import { resolveSegmentScope } from './segment-scope';
import { parseSourceRef, parseTemplate, templateRefs, type SourceRef } from './syntax';

export type IssuePath = Array<string | number>;
export type ReportIssue = (path: IssuePath, message: string) => void;

/**
 * Check what the schema alone cannot, and report every problem. Every path must parse and reach a
 * segment the rule can read, builtins and column references must exist, and constants must fit
 * the column type. Given the datasets, the columns must be those of the table.
 */
export function checkMappingFile(
  file: MappingFile,
  datasets: ReadonlyMap<string, DatasetDefinition> | undefined,
  report: ReportIssue,
): void {
  checkSegmentLists(file, report);
  for (const [name, column] of Object.entries(file.columns)) {
    checkColumn(file, name, column, report);
  }
  if (datasets) checkAgainstDataset(file, datasets, report);
}

/** Decide the type of the values a column produces, as far as its definition fixes it. */
export function columnOutputType(
  file: MappingFile,
  column: ColumnDefinition | BranchDefinition,
): ColumnType {
  if (column.format === 'year_month') return 'string';
  const declared = 'type' in column ? column.type : undefined;
  if (declared !== undefined) return declared;
  if (column.builtin !== undefined) return resolveBuiltin(column.builtin)?.type ?? 'string';
  if (column.column !== undefined) {
    const target = file.columns[column.column];
    if (target && target.column === undefined) return columnOutputType(file, target);
  }
  return constantType(column) ?? 'string';
}

/** Infer the type of a column given by constants and no type: booleans and numbers keep theirs. */
function constantType(column: ColumnDefinition | BranchDefinition): ColumnType | undefined {
  const otherwise = 'else' in column ? column.else : undefined;
  const constants = [column.value, isBranch(otherwise) ? undefined : otherwise, column.default];
  for (const value of constants) {
    if (typeof value === 'boolean') return 'boolean';
    if (typeof value === 'number') return 'double';
  }
  return undefined;
}

function checkSegmentLists(file: MappingFile, report: ReportIssue): void {
  const seen = new Set<string>();
  for (const key of ['context', 'following'] as const) {
    file[key].forEach((segmentId, index) => {
      if (segmentId === file.each)
        report([key, index], `${segmentId} is the row segment (each); remove it from ${key}`);
      else if (seen.has(segmentId))
        report([key, index], `${segmentId} is listed twice in context and following; keep one`);
      seen.add(segmentId);
    });
  }
  if (file.each === 'message' && (file.context.length > 0 || file.following.length > 0)) {
    report(
      ['each'],
      'a rule with each: message reads any segment of the message; remove context and following',
    );
  }
}

function checkColumn(
  file: MappingFile,
  name: string,
  column: ColumnDefinition,
  report: ReportIssue,
): void {
  const at = (...rest: IssuePath): IssuePath => ['columns', name, ...rest];
  if ((LINEAGE_COLUMNS as readonly string[]).includes(name)) {
    report(at(), `${name} is a lineage column that every row gets automatically; remove it`);
    return;
  }

  const type = columnOutputType(file, column);
  checkSource(file, name, column, type, at(), report);
  if (column.type !== undefined && column.format === 'year_month' && column.type !== 'string') {
    report(at('type'), 'format year_month produces a string; remove type or set it to string');
  }
  if (column.when !== undefined) {
    if (column.when.path !== undefined)
      checkRef(file, column.when.path, at('when', 'path'), report);
    const otherwise = column.else;
    if (isBranch(otherwise)) checkSource(file, name, otherwise, type, at('else'), report);
    else if (otherwise !== undefined) checkConstant(otherwise, type, at('else'), report);
  } else if (column.else !== undefined) {
    report(at('else'), 'else needs when; add a when condition or remove else');
  }
}

function isBranch(value: Constant | BranchDefinition | undefined): value is BranchDefinition {
  return typeof value === 'object' && value !== null;
}

/** Check the one source of a column or an `else` branch, and its `default`. */
function checkSource(
  file: MappingFile,
  name: string,
  source: ColumnDefinition | BranchDefinition,
  type: ColumnType,
  at: IssuePath,
  report: ReportIssue,
): void {
  const given = SOURCE_KEYS.filter((key) => source[key] !== undefined);
  if (given.length === 0) {
    report(at, `needs one of ${SOURCE_KEYS.join(', ')}`);
    return;
  }
  if (given.length > 1) {
    report(at, `has ${given.join(' and ')}; give exactly one source`);
    return;
  }

  if (source.path !== undefined) checkRef(file, source.path, [...at, 'path'], report);
  source.paths?.forEach((path, index) => checkRef(file, path, [...at, 'paths', index], report));
  if (source.template !== undefined)
    checkTemplates(file, source.template, [...at, 'template'], report);
  if (source.value !== undefined) checkConstant(source.value, type, [...at, 'value'], report);
  if (source.builtin !== undefined)
    checkBuiltin(file, source.builtin, type, [...at, 'builtin'], report);
  if (source.column !== undefined)
    checkColumnRef(file, name, source, type, [...at, 'column'], report);
  if (source.default !== undefined) checkConstant(source.default, type, [...at, 'default'], report);
}

function checkRef(file: MappingFile, text: string, at: IssuePath, report: ReportIssue): void {
  const ref = parseSourceRef(text);
  if (!ref.ok) report(at, ref.message);
  else checkReachable(file, ref.value, at, report);
}

function checkReachable(
  file: MappingFile,
  ref: SourceRef,
  at: IssuePath,
  report: ReportIssue,
): void {
  if (ref.kind !== 'path') return;
  const scope = resolveSegmentScope(file, ref.location);
  if (!scope.ok) report(at, `${ref.text}: ${scope.message}`);
}

function checkTemplates(
  file: MappingFile,
  template: string | string[],
  at: IssuePath,
  report: ReportIssue,
): void {
  const list = typeof template === 'string' ? [template] : template;
  list.forEach((text, index) => {
    const where = typeof template === 'string' ? at : [...at, index];
    const parsed = parseTemplate(text);
    if (!parsed.ok) {
      report(where, parsed.message);
      return;
    }
    for (const ref of templateRefs(parsed.value)) checkReachable(file, ref, where, report);
  });
}

function checkBuiltin(
  file: MappingFile,
  text: string,
  type: ColumnType,
  at: IssuePath,
  report: ReportIssue,
): void {
  const builtin = resolveBuiltin(text);
  if (!builtin) {
    report(at, `"${text}" is not a builtin; use one of ${builtinChoices().join(', ')}`);
    return;
  }
  const spec: BuiltinSpec = BUILTINS[builtin.name];
  if (spec.each !== undefined && file.each !== spec.each) {
    report(at, `${builtin.name} reads the ${spec.each} of each row; it needs each: ${spec.each}`);
  }
  if (spec.following !== undefined && !file.following.includes(spec.following)) {
    report(
      at,
      `${builtin.name} reads the ${spec.following} segments after the row segment; add ${spec.following} to following`,
    );
  }
  if (builtin.type !== type) {
    report(
      at,
      `${text} produces a ${builtin.type}, but the column is a ${type}; set type: ${builtin.type}`,
    );
  }
}

function checkColumnRef(
  file: MappingFile,
  name: string,
  source: ColumnDefinition | BranchDefinition,
  type: ColumnType,
  at: IssuePath,
  report: ReportIssue,
): void {
  const target = source.column ?? '';
  const referenced = file.columns[target];
  if (target === name) {
    report(at, 'a column cannot read itself');
    return;
  }
  if (!referenced) {
    report(at, `no column ${target} is mapped in this file`);
    return;
  }
  if (readsColumn(referenced)) {
    report(at, `${target} itself reads another column; read a column that has its own source`);
    return;
  }
  const targetType = columnOutputType(file, referenced);
  if (source.format === 'year_month' && targetType !== 'date' && targetType !== 'timestamp') {
    report(at, `format year_month needs a date or timestamp, but ${target} is a ${targetType}`);
  } else if (source.format === undefined && targetType !== type) {
    report(
      at,
      `${target} is a ${targetType}, but this column is a ${type}; remove type or make them equal`,
    );
  }
}

function readsColumn(column: ColumnDefinition): boolean {
  return column.column !== undefined || (isBranch(column.else) && column.else.column !== undefined);
}

function checkConstant(
  value: Constant,
  type: ColumnType,
  at: IssuePath,
  report: ReportIssue,
): void {
  if (value === null) return;
  const fits: Record<ColumnType, boolean> = {
    string: typeof value === 'string',
    int: typeof value === 'number' && Number.isInteger(value),
    bigint: typeof value === 'number' && Number.isInteger(value),
    double: typeof value === 'number',
    boolean: typeof value === 'boolean',
    date: false,
    timestamp: false,
  };
  if (!fits[type]) {
    const hint =
      type === 'date' || type === 'timestamp'
        ? '; date and timestamp columns take only null as a constant'
        : '';
    report(at, `the constant ${JSON.stringify(value)} does not fit the column type ${type}${hint}`);
  }
}

function checkAgainstDataset(
  file: MappingFile,
  datasets: ReadonlyMap<string, DatasetDefinition>,
  report: ReportIssue,
): void {
  const dataset = datasets.get(file.table);
  if (!dataset) {
    report(
      ['table'],
      `no dataset file describes ${file.table}; add ${file.table}.dataset.yaml to the datasets folder`,
    );
    return;
  }

  for (const lineage of LINEAGE_COLUMNS) {
    if (!(lineage in dataset.columns)) {
      report(
        ['table'],
        `${file.table} does not declare the lineage column ${lineage}, which every HL7 v2 mapping row carries`,
      );
    }
  }
  for (const [name, column] of Object.entries(file.columns)) {
    const declared = dataset.columns[name];
    if (!declared) {
      report(
        ['columns', name],
        `${file.table} declares no column ${name}; declare it in the dataset file or remove it here`,
      );
      continue;
    }
    const type = columnOutputType(file, column);
    if (declared.type !== type) {
      report(
        ['columns', name],
        `maps a ${type}, but ${file.table} declares ${name} as ${declared.type}`,
      );
    }
  }
  for (const [name, declared] of Object.entries(dataset.columns)) {
    const isLineage = (LINEAGE_COLUMNS as readonly string[]).includes(name);
    if (!declared.nullable && !isLineage && !(name in file.columns)) {
      report(['columns'], `${file.table} declares ${name} not null, but this file does not map it`);
    }
  }
}
