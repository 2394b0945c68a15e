import type { FhirProblemCode } from './problems';
import { isJsonObject, type FhirResource } from './types';

/** A parsed value checked as a resource: the resource, or why it is not one. */
export type ResourceShapeCheck =
  { ok: true; resource: FhirResource } | { ok: false; code: FhirProblemCode; reason: string };

/**
 * Checks the one thing every reader needs of a resource: an object with a
 * `resourceType` string. Deeper conformance is not checked here.
 */
export function checkResourceShape(value: unknown): ResourceShapeCheck {
  if (!isJsonObject(value)) {
    return {
      ok: false,
      code: 'invalid-structure',
      reason: `expected a resource object, found ${describeJsonType(value)}`,
    };
  }
  const resourceType = value['resourceType'];
  if (typeof resourceType !== 'string' || resourceType === '') {
    return {
      ok: false,
      code: 'missing-resource-type',
      reason: 'the resource has no resourceType string',
    };
  }
  return { ok: true, resource: value as FhirResource };
}

/** Names a JSON value's type, for messages that must not quote the value. */
export function describeJsonType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
