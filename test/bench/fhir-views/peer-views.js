'use strict';

const fhirpath = require('fhirpath');
const r4Model = require('fhirpath/fhir-context/r4');

// The SQL-on-FHIR key of a Reference, as @carelake/fhir computes it: `Type/id`
// from a relative or absolute reference, nothing from a contained (`#id`),
// `urn:uuid:` or conditional one.
const REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

function referenceKey(reference, typeName) {
  if (reference === null || typeof reference !== 'object') return undefined;
  if (typeof reference.reference !== 'string' || reference.reference.includes('?')) {
    return undefined;
  }
  const match = REFERENCE.exec(reference.reference);
  if (match === null) return undefined;
  if (typeName !== undefined && match[1] !== typeName) return undefined;
  return `${match[1]}/${match[2]}`;
}

// fhirpath 5.2.2 does not define the SQL-on-FHIR function getReferenceKey(), so
// the peer gets it as a user function, the package's documented way to add one.
const USER_INVOCATION_TABLE = {
  getReferenceKey: {
    fn: (references, type) =>
      references.flatMap((reference) => {
        const key = referenceKey(reference, type === undefined ? undefined : type.name);
        return key === undefined ? [] : [key];
      }),
    arity: { 0: [], 1: ['TypeSpecifier'] },
  },
};
const COMPILE_OPTIONS = { userInvocationTable: USER_INVOCATION_TABLE };
// %rowIndex is 0 outside a forEach, as the @carelake/fhir view engine sets it.
const TOP_LEVEL_ENV = { rowIndex: 0 };

function rejectUnsupported(view, select, index) {
  const unsupported = ['select', 'unionAll', 'repeat'].filter((key) => select[key] !== undefined);
  if (view.where !== undefined) unsupported.push('where');
  if (view.constant !== undefined) unsupported.push('constant');
  if (unsupported.length > 0) {
    throw new Error(
      `view ${view.name}, select[${index}] uses ${unsupported.join(', ')}, which the fhirpath ` +
        'peer of this benchmark does not implement; extend peer-views.js before comparing it',
    );
  }
}

/** Turns a FHIRPath result (always an array) into a column value, as the view engine does. */
function columnValue(view, column, result) {
  if (column.collection) return result;
  if (result.length === 0) return null;
  if (result.length > 1) {
    throw new Error(
      `view ${view.name}, column ${column.name}: ${result.length} values, but the column is ` +
        'not declared with collection: true',
    );
  }
  return result[0];
}

function compileColumns(columns, base) {
  return columns.map((column) => ({
    name: column.name,
    collection: column.collection === true,
    evaluate: fhirpath.compile(
      base === undefined ? column.path : { base, expression: column.path },
      r4Model,
      COMPILE_OPTIONS,
    ),
  }));
}

/**
 * Compiles one `select`: its columns against the resource, or, with `forEach`
 * or `forEachOrNull`, its path against the resource and its columns against
 * each item the path returns (`base` tells fhirpath the item's FHIR type).
 */
function compileSelect(view, select, index) {
  rejectUnsupported(view, select, index);
  const iteratePath = select.forEach ?? select.forEachOrNull;
  if (iteratePath === undefined) {
    return { columns: compileColumns(select.column ?? []), iterate: undefined, orNull: false };
  }
  return {
    columns: compileColumns(select.column ?? [], `${view.resource}.${iteratePath}`),
    iterate: fhirpath.compile(iteratePath, r4Model, COMPILE_OPTIONS),
    orNull: select.forEachOrNull !== undefined,
  };
}

/** Evaluates one compiled select into its partial rows. */
function selectRows(view, select, resource) {
  const fill = (row, focus, env) => {
    for (const column of select.columns) {
      row[column.name] = columnValue(view, column, column.evaluate(focus, env));
    }
    return row;
  };
  if (select.iterate === undefined) return [fill({}, resource, TOP_LEVEL_ENV)];

  const items = select.iterate(resource, TOP_LEVEL_ENV);
  if (items.length === 0 && select.orNull) {
    return [Object.fromEntries(select.columns.map((column) => [column.name, null]))];
  }
  return items.map((item, rowIndex) => fill({}, item, { rowIndex }));
}

/**
 * Compiles one ViewDefinition into `{ name, resource, evaluate(resource) }`,
 * whose rows are the cross product of its selects' rows, as SQL-on-FHIR v2
 * defines. Every path is compiled once with `fhirpath.compile(path, r4Model)`.
 * Throws for view features the default views do not use.
 */
function compilePeerView(source) {
  const view = JSON.parse(source.text);
  const selects = view.select.map((select, index) => compileSelect(view, select, index));
  const evaluate = (resource) => {
    let rows = selectRows(view, selects[0], resource);
    for (const select of selects.slice(1)) {
      const partials = selectRows(view, select, resource);
      const joined = [];
      for (const row of rows) {
        for (const partial of partials) joined.push({ ...row, ...partial });
      }
      rows = joined;
    }
    return rows;
  };
  return { name: view.name, resource: view.resource, evaluate };
}

/** Compiles every view and groups them by the resource type they read. */
function compilePeerViews(sources) {
  const byResourceType = new Map();
  for (const source of sources) {
    const view = compilePeerView(source);
    const same = byResourceType.get(view.resource) ?? [];
    same.push(view);
    byResourceType.set(view.resource, same);
  }
  return byResourceType;
}

module.exports = { compilePeerViews };
