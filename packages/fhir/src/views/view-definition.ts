import { isJsonObject, type JsonObject } from '../types';
import type { ViewDefinitionIssue } from './errors';
import { NAME_PATTERN, readConstant, type ConstantDefinition } from './view-constants';

/** A FHIRPath expression of the view, with where it sits. */
export interface ExpressionDefinition {
  keyPath: string;
  path: string;
}

export interface ColumnDefinition {
  keyPath: string;
  name: string;
  path: string;
  /** The FHIR type the view declares, if any. */
  type: string | undefined;
  collection: boolean;
  description: string | undefined;
}

/** One `select` of a view, or one branch of a `unionAll`. */
export interface SelectDefinition {
  keyPath: string;
  columns: ColumnDefinition[];
  selects: SelectDefinition[];
  unionAll: SelectDefinition[];
  forEach: ExpressionDefinition | undefined;
  forEachOrNull: ExpressionDefinition | undefined;
  /** The paths of `repeat`, followed again on every item they reach. */
  repeat: ExpressionDefinition[] | undefined;
}

/** The parts of a ViewDefinition the engine uses, checked for shape but not yet compiled. */
export interface ViewDefinitionShape {
  name: string | undefined;
  resource: string;
  constants: ConstantDefinition[];
  selects: SelectDefinition[];
  where: ExpressionDefinition[];
}

const VIEW_KEYS = new Set([
  'resourceType',
  'id',
  'meta',
  'text',
  'extension',
  'modifierExtension',
  'url',
  'identifier',
  'name',
  'title',
  'status',
  'experimental',
  'publisher',
  'contact',
  'description',
  'useContext',
  'copyright',
  'resource',
  'fhirVersion',
  'constant',
  'select',
  'where',
]);
const SELECT_KEYS = new Set([
  'id',
  'extension',
  'modifierExtension',
  'column',
  'select',
  'forEach',
  'forEachOrNull',
  'repeat',
  'unionAll',
]);
const COLUMN_KEYS = new Set([
  'id',
  'extension',
  'modifierExtension',
  'name',
  'path',
  'description',
  'collection',
  'type',
  'tag',
]);
const WHERE_KEYS = new Set(['id', 'extension', 'modifierExtension', 'path', 'description']);
const STATUSES = ['draft', 'active', 'retired', 'unknown'];

/**
 * Check the shape of a ViewDefinition (JSON or YAML parsed to objects) and return the
 * parts the compiler needs, with every problem found. The shape is undefined when the
 * view is too broken to compile further.
 */
export function readViewDefinition(view: unknown): {
  shape: ViewDefinitionShape | undefined;
  issues: ViewDefinitionIssue[];
} {
  const issues: ViewDefinitionIssue[] = [];
  if (!isJsonObject(view)) {
    issues.push({ keyPath: '', message: 'a ViewDefinition must be a JSON object' });
    return { shape: undefined, issues };
  }
  checkKeys(view, VIEW_KEYS, '', issues);
  if (view.resourceType !== undefined && view.resourceType !== 'ViewDefinition') {
    issues.push({ keyPath: 'resourceType', message: 'must be "ViewDefinition" when present' });
  }
  const name = optionalString(view, 'name', '', issues);
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    issues.push({
      keyPath: 'name',
      message: 'must start with a letter and contain only letters, digits and "_"',
    });
  }
  const status = optionalString(view, 'status', '', issues);
  if (status !== undefined && !STATUSES.includes(status)) {
    issues.push({ keyPath: 'status', message: `must be one of ${STATUSES.join(', ')}` });
  }
  const resource = requiredString(
    view,
    'resource',
    '',
    issues,
    'the FHIR resource type the view reads, such as Patient',
  );

  const constants = optionalArray(view, 'constant', '', issues).flatMap((entry, index) => {
    const constant = readConstant(entry, `constant[${index}]`, issues);
    return constant ? [constant] : [];
  });
  checkConstantNames(constants, issues);

  const where = optionalArray(view, 'where', '', issues).flatMap((entry, index) => {
    const keyPath = `where[${index}]`;
    if (!isJsonObject(entry)) {
      issues.push({ keyPath, message: 'must be an object with a path' });
      return [];
    }
    checkKeys(entry, WHERE_KEYS, keyPath, issues);
    const path = requiredString(
      entry,
      'path',
      keyPath,
      issues,
      'a FHIRPath expression that returns a boolean',
    );
    return path === undefined ? [] : [{ keyPath: `${keyPath}.path`, path }];
  });

  const selectList = optionalArray(view, 'select', '', issues);
  if (view.select === undefined || (Array.isArray(view.select) && view.select.length === 0)) {
    issues.push({
      keyPath: 'select',
      message: 'is missing; a view needs at least one select with columns',
    });
  }
  const selects = readSelects(selectList, 'select', issues);

  if (resource === undefined) return { shape: undefined, issues };
  return { shape: { name, resource, constants, selects, where }, issues };
}

function readSelects(
  entries: unknown[],
  keyPath: string,
  issues: ViewDefinitionIssue[],
): SelectDefinition[] {
  return entries.flatMap((entry, index) => {
    const select = readSelect(entry, `${keyPath}[${index}]`, issues);
    return select ? [select] : [];
  });
}

function readSelect(
  entry: unknown,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): SelectDefinition | undefined {
  if (!isJsonObject(entry)) {
    issues.push({
      keyPath,
      message: 'must be an object with column, select, forEach, forEachOrNull, repeat or unionAll',
    });
    return undefined;
  }
  checkKeys(entry, SELECT_KEYS, keyPath, issues);
  const iterations = ['forEach', 'forEachOrNull', 'repeat'].filter(
    (key) => entry[key] !== undefined,
  );
  if (iterations.length > 1) {
    issues.push({
      keyPath,
      message: `may have only one of forEach, forEachOrNull and repeat, but has ${iterations.join(' and ')}`,
    });
  }
  const unionAll = readSelects(
    optionalArray(entry, 'unionAll', keyPath, issues),
    `${keyPath}.unionAll`,
    issues,
  );
  if (Array.isArray(entry.unionAll) && entry.unionAll.length === 0) {
    issues.push({ keyPath: `${keyPath}.unionAll`, message: 'must have at least one branch' });
  }
  return {
    keyPath,
    columns: optionalArray(entry, 'column', keyPath, issues).flatMap((column, index) => {
      const read = readColumn(column, `${keyPath}.column[${index}]`, issues);
      return read ? [read] : [];
    }),
    selects: readSelects(
      optionalArray(entry, 'select', keyPath, issues),
      `${keyPath}.select`,
      issues,
    ),
    unionAll,
    forEach: optionalExpression(entry, 'forEach', keyPath, issues),
    forEachOrNull: optionalExpression(entry, 'forEachOrNull', keyPath, issues),
    repeat: readRepeat(entry, keyPath, issues),
  };
}

function readColumn(
  entry: unknown,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): ColumnDefinition | undefined {
  if (!isJsonObject(entry)) {
    issues.push({ keyPath, message: 'must be an object with name and path' });
    return undefined;
  }
  checkKeys(entry, COLUMN_KEYS, keyPath, issues);
  const name = requiredString(entry, 'name', keyPath, issues, 'the column name');
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    issues.push({
      keyPath: `${keyPath}.name`,
      message: 'must start with a letter and contain only letters, digits and "_"',
    });
  }
  const path = requiredString(entry, 'path', keyPath, issues, 'a FHIRPath expression');
  const type = optionalString(entry, 'type', keyPath, issues);
  const description = optionalString(entry, 'description', keyPath, issues);
  if (entry.collection !== undefined && typeof entry.collection !== 'boolean') {
    issues.push({ keyPath: `${keyPath}.collection`, message: 'must be true or false' });
  }
  if (entry.tag !== undefined && !Array.isArray(entry.tag)) {
    issues.push({ keyPath: `${keyPath}.tag`, message: 'must be a list of { name, value }' });
  }
  if (name === undefined || path === undefined) return undefined;
  return { keyPath, name, path, type, collection: entry.collection === true, description };
}

function readRepeat(
  entry: JsonObject,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): ExpressionDefinition[] | undefined {
  if (entry.repeat === undefined) return undefined;
  const repeatPath = `${keyPath}.repeat`;
  if (!Array.isArray(entry.repeat) || entry.repeat.length === 0) {
    issues.push({
      keyPath: repeatPath,
      message: 'must be a non-empty list of FHIRPath expressions',
    });
    return undefined;
  }
  return entry.repeat.flatMap((path, index) => {
    if (typeof path === 'string' && path.trim() !== '')
      return [{ keyPath: `${repeatPath}[${index}]`, path }];
    issues.push({
      keyPath: `${repeatPath}[${index}]`,
      message: 'must be a FHIRPath expression string',
    });
    return [];
  });
}

function optionalExpression(
  entry: JsonObject,
  key: string,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): ExpressionDefinition | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  const path = join(keyPath, key);
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ keyPath: path, message: 'must be a FHIRPath expression string' });
    return undefined;
  }
  return { keyPath: path, path: value };
}

function checkConstantNames(constants: ConstantDefinition[], issues: ViewDefinitionIssue[]): void {
  const seen = new Set<string>();
  for (const constant of constants) {
    if (seen.has(constant.name)) {
      issues.push({
        keyPath: `${constant.keyPath}.name`,
        message: `constant "${constant.name}" is defined twice`,
      });
    }
    seen.add(constant.name);
  }
}

function checkKeys(
  entry: JsonObject,
  allowed: ReadonlySet<string>,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): void {
  for (const key of Object.keys(entry)) {
    if (allowed.has(key) || key.startsWith('_')) continue;
    issues.push({
      keyPath: join(keyPath, key),
      message: `unknown key; expected one of ${[...allowed].join(', ')}`,
    });
  }
}

function requiredString(
  entry: JsonObject,
  key: string,
  keyPath: string,
  issues: ViewDefinitionIssue[],
  expected: string,
): string | undefined {
  const value = entry[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  const problem = value === undefined ? 'is missing' : 'must be a non-empty string';
  issues.push({ keyPath: join(keyPath, key), message: `${problem}; expected ${expected}` });
  return undefined;
}

function optionalString(
  entry: JsonObject,
  key: string,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  issues.push({ keyPath: join(keyPath, key), message: 'must be a string' });
  return undefined;
}

function optionalArray(
  entry: JsonObject,
  key: string,
  keyPath: string,
  issues: ViewDefinitionIssue[],
): unknown[] {
  const value = entry[key];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  issues.push({ keyPath: join(keyPath, key), message: 'must be a list' });
  return [];
}

function join(keyPath: string, key: string): string {
  return keyPath ? `${keyPath}.${key}` : key;
}
