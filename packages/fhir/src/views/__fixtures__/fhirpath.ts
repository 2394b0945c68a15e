import type { JsonObject } from '../../types';
import { fhirR4Model } from '../fhir-model';
import { toArray } from '../fhirpath/collection';
import { compileFhirPath, type ConstantValue } from '../fhirpath/compiler';
import { FhirPathCompileError } from '../fhirpath/errors';
import { staticType } from '../fhirpath/types';

export interface EvaluateOptions {
  constants?: Record<string, ConstantValue>;
  /** Collects the messages of elements the model does not know; without it they are errors. */
  warnings?: string[];
}

/** Compile `expression` against the resource's type and return its items as an array. */
export function evaluateFhirPath(
  expression: string,
  resource: JsonObject,
  options: EvaluateOptions = {},
): unknown[] {
  const resourceType = String(resource.resourceType);
  const compiled = compileFhirPath(expression, staticType(resourceType), {
    model: fhirR4Model(),
    resourceType,
    constants: new Map(Object.entries(options.constants ?? {})),
    onUnknownElement: options.warnings ? (message) => options.warnings?.push(message) : undefined,
  });
  return [...toArray(compiled.evaluate(resource, { resource, rowIndex: 0, index: 0 }))];
}

/** Compile `expression` on a Patient and return the compile error it raises. */
export function compileErrorOf(expression: string, resourceType = 'Patient'): FhirPathCompileError {
  try {
    compileFhirPath(expression, staticType(resourceType), {
      model: fhirR4Model(),
      resourceType,
      constants: new Map(),
    });
  } catch (error) {
    if (error instanceof FhirPathCompileError) return error;
    throw error;
  }
  throw new Error(`expected "${expression}" not to compile`);
}

/** Return the FHIR type names the compiler infers for `expression` on `resourceType`. */
export function inferredTypes(expression: string, resourceType: string): string[] {
  const compiled = compileFhirPath(expression, staticType(resourceType), {
    model: fhirR4Model(),
    resourceType,
    constants: new Map(),
  });
  return compiled.type.types.map((type) => type.code);
}
