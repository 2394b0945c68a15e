import type { FhirModel } from '../fhir-model';
import { fromArray, isObject, singleton, type Collection } from './collection';
import type { Compiled, PathStep } from './compiled';
import { FhirPathCompileError } from './errors';
import { chainEvaluator } from './path-walk';
import { capitalize, staticType, type StaticType, type TypeSpecifier } from './types';

type Match = 'yes' | 'no' | 'maybe';

/**
 * Compile `ofType(T)` and `as T`. On a choice element the type picks the JSON key at
 * compile time, so `value.ofType(Quantity)` reads `valueQuantity`. Elsewhere the model's
 * types decide, and only types it cannot tell apart are checked on each item.
 */
export function compileTypeFilter(
  input: Compiled,
  specifier: TypeSpecifier,
  model: FhirModel,
  isChoiceSuffix: (suffix: string) => boolean,
  offset: number,
): Compiled {
  const chain = input.chain;
  const last = chain?.steps[chain.steps.length - 1];
  if (chain && last?.element?.choice) {
    const matching = last.element.types.filter(
      (type) => staticMatch(type.code, specifier, model) !== 'no',
    );
    if (matching.length === 0) {
      const allowed = last.element.types.map((type) => type.code).join(', ');
      throw new FhirPathCompileError(
        `"${last.name}" cannot be of type ${specifier.name}; its types are ${allowed}`,
        offset,
      );
    }
    const step: PathStep = {
      ...last,
      keys: matching.map((type) => last.name + capitalize(type.code)),
    };
    const steps = [...chain.steps.slice(0, -1), step];
    const evaluate = chainEvaluator(chain.base, steps, isChoiceSuffix);
    return { evaluate, type: { types: matching }, chain: { base: chain.base, steps } };
  }

  const resultType = specifierType(specifier);
  const evaluateInput = input.evaluate;
  if (chain && last?.dynamic) {
    // Unknown element: try it as a choice first (`valueQuantity`), then as a plain element.
    const choiceStep: PathStep = {
      ...last,
      keys: [last.name + capitalize(specifier.name)],
      dynamic: false,
    };
    const evaluateChoice = chainEvaluator(
      chain.base,
      [...chain.steps.slice(0, -1), choiceStep],
      isChoiceSuffix,
    );
    return {
      evaluate: (item, env) =>
        evaluateChoice(item, env) ?? filterByRuntimeType(evaluateInput(item, env), specifier),
      type: resultType,
    };
  }

  const matches = input.type.types.map((type) => staticMatch(type.code, specifier, model));
  if (matches.length > 0) {
    if (matches.every((match) => match === 'no')) {
      throw new FhirPathCompileError(`the input can never be of type ${specifier.name}`, offset);
    }
    if (matches.every((match) => match === 'yes')) return input;
  }
  return {
    evaluate: (item, env) => filterByRuntimeType(evaluateInput(item, env), specifier),
    type: resultType,
  };
}

/** Compile `is T` and `is(T)`: true or false for one item, empty for none. */
export function compileTypeTest(
  input: Compiled,
  specifier: TypeSpecifier,
  model: FhirModel,
): Compiled {
  const matches = input.type.types.map((type) => staticMatch(type.code, specifier, model));
  const evaluateInput = input.evaluate;
  const known =
    matches.length > 0 && matches.every((match) => match === matches[0] && match !== 'maybe');
  if (known) {
    const answer = matches[0] === 'yes';
    return {
      evaluate: (item, env) =>
        singleton(evaluateInput(item, env), 'is') === undefined ? undefined : answer,
      type: staticType('boolean'),
    };
  }
  return {
    evaluate: (item, env) => {
      const value = singleton(evaluateInput(item, env), 'is');
      return value === undefined ? undefined : runtimeMatch(value, specifier);
    },
    type: staticType('boolean'),
  };
}

function specifierType(specifier: TypeSpecifier): StaticType {
  return staticType(specifier.codes[0] as string);
}

function staticMatch(code: string, specifier: TypeSpecifier, model: FhirModel): Match {
  if (specifier.codes.includes(code)) return 'yes';
  if (specifier.resource) {
    if (code === 'Resource' || code === 'DomainResource') return 'maybe';
    if (specifier.name === 'Resource' || specifier.name === 'DomainResource') {
      return model.isResourceType(code) ? 'yes' : 'no';
    }
  }
  return 'no';
}

function filterByRuntimeType(collection: Collection, specifier: TypeSpecifier): Collection {
  if (collection === undefined) return undefined;
  if (!Array.isArray(collection))
    return runtimeMatch(collection, specifier) ? collection : undefined;
  const matching: unknown[] = [];
  for (const item of collection) if (runtimeMatch(item, specifier)) matching.push(item);
  return fromArray(matching);
}

const DATE_TEXT = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME_TEXT = /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const TIME_TEXT = /^\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * Check an item's type from its JSON form alone, for items the model cannot type.
 * NOTE: JSON cannot tell `code` from `string` or one complex type from another, so those
 * checks accept any string or any object that is not a resource.
 */
function runtimeMatch(item: unknown, specifier: TypeSpecifier): boolean {
  if (specifier.resource) {
    if (!isObject(item) || typeof item.resourceType !== 'string') return false;
    return (
      specifier.name === 'Resource' ||
      specifier.name === 'DomainResource' ||
      item.resourceType === specifier.name
    );
  }
  const code = specifier.codes[0] as string;
  switch (code) {
    case 'boolean':
      return typeof item === 'boolean';
    case 'integer':
    case 'positiveInt':
    case 'unsignedInt':
    case 'integer64':
      return typeof item === 'number' && Number.isInteger(item);
    case 'decimal':
      return typeof item === 'number';
    case 'date':
      return typeof item === 'string' && DATE_TEXT.test(item);
    case 'dateTime':
    case 'instant':
      return typeof item === 'string' && DATE_TIME_TEXT.test(item);
    case 'time':
      return typeof item === 'string' && TIME_TEXT.test(item);
  }
  if (/^[a-z]/.test(code)) return typeof item === 'string';
  return isObject(item) && !('resourceType' in item);
}
