import {
  decimalBoundary,
  decimalPlaces,
  dateBoundary,
  dateTimeBoundary,
  timeBoundary,
  type BoundaryKind,
} from './boundary';
import {
  count,
  fromArray,
  fromJson,
  isObject,
  itemAt,
  pushAll,
  singleton,
  type Collection,
} from './collection';
import type { Compiled, FunctionContext, FunctionDefinition } from './compiled';
import { FhirPathCompileError, FhirPathEvaluationError } from './errors';
import { compileTypeFilter, compileTypeTest } from './type-filter';
import {
  isIntegerTypeCode,
  singleTypeCode,
  staticType,
  STRING_TYPE,
  type TypeSpecifier,
} from './types';

/**
 * Functions on FHIR data: type filters, `extension(url)`, the SQL-on-FHIR key functions
 * `getResourceKey()` and `getReferenceKey()`, and the boundary functions.
 */
export const FHIR_FUNCTIONS: Record<string, FunctionDefinition> = {
  ofType: { minArgs: 1, maxArgs: 1, compile: (context) => typeFilter(context) },
  as: { minArgs: 1, maxArgs: 1, compile: (context) => typeFilter(context) },
  is: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) =>
      compileTypeTest(context.input, context.typeArgument(context.arg(0)), context.model),
  },
  extension: {
    minArgs: 1,
    maxArgs: 1,
    compile: (context) => {
      const url = context.compileArgument(context.arg(0)).evaluate;
      const evaluate = context.input.evaluate;
      return {
        evaluate: (item, env) => {
          const urlValue = singleton(url(item, env), 'extension()');
          if (urlValue === undefined) return undefined;
          return extensionsWithUrl(evaluate(item, env), urlValue);
        },
        type: staticType('Extension'),
      };
    },
  },
  getResourceKey: {
    minArgs: 0,
    maxArgs: 1,
    compile: (context) => {
      const type = context.args[0] ? resourceTypeArgument(context) : undefined;
      return mapItems(context.input, (item) => resourceKey(item, type));
    },
  },
  getReferenceKey: {
    minArgs: 0,
    maxArgs: 1,
    compile: (context) => {
      const type = context.args[0] ? resourceTypeArgument(context) : undefined;
      return mapItems(context.input, (item) => referenceKey(item, type));
    },
  },
  lowBoundary: { minArgs: 0, maxArgs: 1, compile: (context) => boundary(context, 'low') },
  highBoundary: { minArgs: 0, maxArgs: 1, compile: (context) => boundary(context, 'high') },
};

function typeFilter(context: FunctionContext): Compiled {
  const specifier = context.typeArgument(context.arg(0));
  return compileTypeFilter(
    context.input,
    specifier,
    context.model,
    context.isChoiceSuffix,
    context.arg(0).offset,
  );
}

function resourceTypeArgument(context: FunctionContext): string {
  const specifier: TypeSpecifier = context.typeArgument(context.arg(0));
  if (!specifier.resource) {
    throw new FhirPathCompileError(
      `${context.name}() takes a resource type, such as Patient`,
      context.arg(0).offset,
    );
  }
  return specifier.name;
}

function mapItems(input: Compiled, map: (item: unknown) => string | undefined): Compiled {
  const evaluate = input.evaluate;
  return {
    evaluate: (item, env) => {
      const items = evaluate(item, env);
      if (!Array.isArray(items)) return items === undefined ? undefined : map(items);
      const keys: unknown[] = [];
      for (const element of items) {
        const key = map(element);
        if (key !== undefined) keys.push(key);
      }
      return fromArray(keys);
    },
    type: STRING_TYPE,
  };
}

function extensionsWithUrl(items: Collection, url: unknown): Collection {
  const found: unknown[] = [];
  for (let index = 0; index < count(items); index++) {
    const item = itemAt(items, index);
    if (!isObject(item)) continue;
    const extensions = fromJson(item.extension);
    for (let position = 0; position < count(extensions); position++) {
      const extension = itemAt(extensions, position);
      if (isObject(extension) && extension.url === url) pushAll(found, extension);
    }
  }
  return fromArray(found);
}

/**
 * Return the key of a resource, `Type/id`. It equals `getReferenceKey()` of every
 * reference to the resource, so views join on it. The version is not part of the key.
 */
function resourceKey(item: unknown, type: string | undefined): string | undefined {
  if (!isObject(item) || typeof item.resourceType !== 'string' || typeof item.id !== 'string')
    return undefined;
  if (
    type !== undefined &&
    type !== 'Resource' &&
    type !== 'DomainResource' &&
    item.resourceType !== type
  )
    return undefined;
  return `${item.resourceType}/${item.id}`;
}

const REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Return the key of the resource a Reference names, matching `getResourceKey()`:
 * `Patient/123` for `Patient/123`, `Patient/123/_history/2` and
 * `https://server/fhir/Patient/123`. An absolute URL keeps only its type and id, as
 * resource keys do. A contained (`#id`), `urn:uuid:` or conditional reference, or one
 * without `reference`, has no key.
 */
function referenceKey(item: unknown, type: string | undefined): string | undefined {
  if (!isObject(item) || typeof item.reference !== 'string') return undefined;
  const match = REFERENCE.exec(item.reference);
  if (!match || item.reference.includes('?')) return undefined;
  const [, referencedType, id] = match as unknown as [string, string, string];
  if (
    type !== undefined &&
    type !== 'Resource' &&
    type !== 'DomainResource' &&
    referencedType !== type
  )
    return undefined;
  return `${referencedType}/${id}`;
}

/** `lowBoundary([precision])` and `highBoundary([precision])` on decimals, dates, dateTimes and times. */
function boundary(context: FunctionContext, kind: BoundaryKind): Compiled {
  const precision = context.args[0] ? context.compileArgument(context.args[0]).evaluate : undefined;
  const evaluate = context.input.evaluate;
  const code = singleTypeCode(context.input.type);
  const name = `${context.name}()`;
  return {
    evaluate: (item, env) => {
      const value = singleton(evaluate(item, env), name);
      if (value === undefined) return undefined;
      const digits = precision ? singleton(precision(item, env), name) : undefined;
      if (digits !== undefined && (typeof digits !== 'number' || !Number.isInteger(digits))) {
        throw new FhirPathEvaluationError(`${name} needs an integer precision`);
      }
      return boundaryOf(value, code, digits, kind);
    },
    type: context.input.type,
  };
}

function boundaryOf(
  value: unknown,
  code: string | undefined,
  precision: number | undefined,
  kind: BoundaryKind,
): unknown {
  if (typeof value === 'number') {
    return decimalBoundary(value, inputDecimalPlaces(value, code), precision, kind);
  }
  if (typeof value !== 'string') return undefined;
  switch (code ?? inferTemporalType(value)) {
    case 'date':
      return dateBoundary(value, precision, kind);
    case 'dateTime':
    case 'instant':
      return dateTimeBoundary(value, precision, kind);
    case 'time':
      return timeBoundary(value, precision, kind);
  }
  return undefined;
}

/**
 * Decimal places the value was written with: none for an integer element.
 * NOTE: JSON.parse drops trailing zeros, so a decimal element written `1.0` arrives as 1.
 * A whole number in a decimal element is therefore taken to have one decimal place. That
 * gives 0.95 to 1.05 for `1.0`, as the SQL-on-FHIR suite expects, and also for `1`.
 */
function inputDecimalPlaces(value: number, code: string | undefined): number {
  if (code !== undefined && isIntegerTypeCode(code)) return 0;
  const places = decimalPlaces(value);
  return places === 0 && code === 'decimal' ? 1 : places;
}

function inferTemporalType(value: string): string | undefined {
  if (/^\d{2}(:\d{2})?(:\d{2}(\.\d+)?)?$/.test(value)) return 'time';
  if (value.includes('T')) return 'dateTime';
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return 'date';
  return undefined;
}
