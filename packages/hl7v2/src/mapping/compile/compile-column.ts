import type { ColumnType, Row, RowValue } from '@carelake/core';
import { Hl7Error } from '../../errors';
import { compileBuiltin } from '../builtins/compile-builtin';
import { resolveBuiltin } from '../language/builtins';
import { columnOutputType } from '../language/checks';
import type {
  BranchDefinition,
  ColumnDefinition,
  ConditionDefinition,
  Constant,
  MappingFile,
} from '../language/schema';
import { parseSourceRef, parseTemplate } from '../language/syntax';
import type { SenderTimeZone } from '../sender-time-zone';
import { converterFor, INVALID_VALUE } from './convert';
import type { RowScope } from './row-scope';
import { compileTemplate, compileTextReader, type TextReader } from './text-reader';
import { lacksUtcOffset } from './timestamps';

/** Computes one column of a row. `row` contains the columns computed before it. */
export type ColumnEvaluator = (scope: RowScope, row: Row) => RowValue;

/** A column compiled from its definition, once per mapping file. */
export interface CompiledColumn {
  name: string;
  evaluate: ColumnEvaluator;
  required: boolean;
  /** True when the column copies another column, so it is computed after the others. */
  readsColumns: boolean;
}

/**
 * Compile a column whose definition the file checks already accepted. Its timestamps without an
 * offset are local time in `senderTimeZone`, or read as UTC with a warning when it is undefined.
 */
export function compileColumn(
  file: MappingFile,
  name: string,
  definition: ColumnDefinition,
  senderTimeZone: SenderTimeZone | undefined,
): CompiledColumn {
  const type = columnOutputType(file, definition);
  const site: ColumnSite = { file, name, type, senderTimeZone };
  const then = compileBranch(site, definition);
  const otherwise = definition.else;
  const readsColumns =
    definition.column !== undefined || (isBranch(otherwise) && otherwise.column !== undefined);

  if (definition.when === undefined) {
    return { name, evaluate: then, required: definition.required === true, readsColumns };
  }
  const condition = compileCondition(file, definition.when);
  const elseBranch: ColumnEvaluator = isBranch(otherwise)
    ? compileBranch(site, otherwise)
    : constant(otherwise ?? null);
  return {
    name,
    evaluate: (scope, row) => (condition(scope) ? then(scope, row) : elseBranch(scope, row)),
    required: definition.required === true,
    readsColumns,
  };
}

interface ColumnSite {
  file: MappingFile;
  name: string;
  type: ColumnType;
  senderTimeZone: SenderTimeZone | undefined;
}

function isBranch(value: Constant | BranchDefinition | undefined): value is BranchDefinition {
  return typeof value === 'object' && value !== null;
}

function constant(value: Constant): ColumnEvaluator {
  return () => value;
}

/** Compile a source with its `format` and `default`. */
function compileBranch(
  site: ColumnSite,
  branch: ColumnDefinition | BranchDefinition,
): ColumnEvaluator {
  // year_month reads its input as a timestamp and writes text.
  const inputType: ColumnType = branch.format === 'year_month' ? 'timestamp' : site.type;
  const source = compileSource(site, branch, inputType);
  const format = branch.format === 'year_month' ? formatYearMonth : undefined;
  const fallback = branch.default ?? null;
  if (format === undefined && fallback === null) return source;
  return (scope, row) => {
    let value = source(scope, row);
    if (format !== undefined) value = format(value);
    return value ?? fallback;
  };
}

function formatYearMonth(value: RowValue): RowValue {
  return value instanceof Date ? value.toISOString().slice(0, 7) : null;
}

function compileSource(
  site: ColumnSite,
  source: ColumnDefinition | BranchDefinition,
  type: ColumnType,
): ColumnEvaluator {
  const { file } = site;
  if (source.value !== undefined) return constant(source.value);
  if (source.builtin !== undefined) {
    const builtin = resolveBuiltin(source.builtin);
    if (!builtin)
      throw new Hl7Error(`unchecked builtin ${source.builtin} in ${file.table}.${site.name}`);
    return compileBuiltin(builtin, file, site.senderTimeZone);
  }
  if (source.column !== undefined) {
    const target = source.column;
    return (_scope, row) => row[target] ?? null;
  }
  if (source.template !== undefined) {
    const templates = (
      typeof source.template === 'string' ? [source.template] : source.template
    ).map((text) => compileTemplate(file, checked(parseTemplate(text), text)));
    return compileTextSource(site, type, templates, undefined);
  }
  const paths = source.path !== undefined ? [source.path] : (source.paths ?? []);
  const readers = paths.map((text) => compileTextReader(file, checked(parseSourceRef(text), text)));
  return compileTextSource(
    site,
    type,
    readers.map((reader) => (scope: RowScope) => reader.read(scope)),
    readers,
  );
}

/**
 * Read the texts in order and return the first that converts to the column type. A text that
 * does not convert maps to null with a warning, and the next text is tried. A timestamp without
 * an offset read as UTC, because no sender time zone is configured, is flagged on the message.
 */
function compileTextSource(
  site: ColumnSite,
  type: ColumnType,
  texts: ReadonlyArray<(scope: RowScope) => string | null>,
  readers: readonly TextReader[] | undefined,
): ColumnEvaluator {
  const convert = converterFor(type, site.senderTimeZone);
  const flagsMissingOffset = type === 'timestamp' && site.senderTimeZone === undefined;
  const templateLabel = templateSubject(site);
  return (scope) => {
    for (const [index, read] of texts.entries()) {
      const text = read(scope);
      if (text === null) continue;
      const value = convert(text);
      if (value === undefined) {
        warnInvalid(site, type, scope, readers?.[index]);
        continue;
      }
      if (flagsMissingOffset && lacksUtcOffset(text)) {
        const reader = readers?.[index];
        scope.mapping.flagTimestampWithoutOffset(
          reader?.segmentOf(scope),
          reader?.field,
          reader?.field ?? templateLabel,
          site.file.table,
          site.name,
        );
      }
      return value;
    }
    return null;
  };
}

function templateSubject(site: ColumnSite): string {
  return `the template of ${site.name}`;
}

function warnInvalid(
  site: ColumnSite,
  type: ColumnType,
  scope: RowScope,
  reader: TextReader | undefined,
): void {
  if (type === 'string') return;
  const { code, expected } = INVALID_VALUE[type];
  const subject = reader?.field ?? templateSubject(site);
  scope.mapping.warn(
    code,
    `${subject} is not ${expected}; ${site.file.table}.${site.name} is null`,
    reader?.segmentOf(scope),
    reader?.field,
  );
}

function compileCondition(
  file: MappingFile,
  condition: ConditionDefinition,
): (scope: RowScope) => boolean {
  const triggers = condition.trigger === undefined ? undefined : new Set(toList(condition.trigger));
  const reader =
    condition.path === undefined
      ? undefined
      : compileTextReader(file, checked(parseSourceRef(condition.path), condition.path));
  const values = new Set(toList(condition.equals ?? []));
  return (scope) => {
    if (triggers !== undefined && !triggers.has(scope.mapping.facts.triggerEvent ?? ''))
      return false;
    if (reader === undefined) return true;
    const text = reader.read(scope);
    return text !== null && values.has(text);
  };
}

function toList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function checked<T>(
  result: { ok: true; value: T } | { ok: false; message: string },
  text: string,
): T {
  if (!result.ok) throw new Hl7Error(`unchecked mapping syntax "${text}": ${result.message}`);
  return result.value;
}
