import { isJsonObject, type FhirResource } from './types';

/**
 * Bundle-local identifiers. A transaction or batch names entries that have no
 * server id yet by `urn:uuid:` (or `urn:oid:`) fullUrls, and other entries refer
 * to them by that URN.
 */
const BUNDLE_LOCAL_REFERENCE = /^urn:(uuid|oid):/;

/** A bundle-local reference that names no entry with an id. */
export interface UnresolvedReference {
  /** FHIR path of the `reference` element, such as `Observation.subject.reference`. */
  field: string;
  /** Reason it could not be resolved, without the reference itself. */
  reason: string;
}

/** The fullUrl of each entry, and the `Type/id` it resolves to when the entry has an id. */
export type FullUrlTargets = Map<string, string | undefined>;

/**
 * Rewrites, in place, every `reference` string in the resource (contained
 * resources and extensions included) that names an entry's fullUrl as a
 * bundle-local URN, to that entry's `Type/id`. Returns the references it left
 * unchanged because no entry with an id has that fullUrl.
 */
export function resolveBundleReferences(
  resource: FhirResource,
  targets: FullUrlTargets,
): UnresolvedReference[] {
  const unresolved: UnresolvedReference[] = [];
  // An explicit stack rather than recursion, so a deeply nested document cannot
  // overflow the call stack. Children are pushed in reverse to visit them in
  // document order.
  const pending: Array<{ node: unknown; path: string }> = [
    { node: resource, path: resource.resourceType },
  ];

  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, path } = item;
    if (Array.isArray(node)) {
      const children = node.map((child: unknown, index) => ({
        node: child,
        path: `${path}[${index}]`,
      }));
      pending.push(...children.reverse());
      continue;
    }
    if (!isJsonObject(node)) continue;

    for (const [member, value] of Object.entries(node).reverse()) {
      const memberPath = `${path}.${member}`;
      if (
        member !== 'reference' ||
        typeof value !== 'string' ||
        !BUNDLE_LOCAL_REFERENCE.test(value)
      ) {
        pending.push({ node: value, path: memberPath });
        continue;
      }

      const target = targets.get(value);
      if (target !== undefined) {
        node[member] = target;
      } else {
        const reason = targets.has(value)
          ? 'the reference names a bundle entry that has no resource id'
          : 'the reference names no entry fullUrl in this bundle';
        unresolved.push({ field: memberPath, reason });
      }
    }
  }

  return unresolved;
}
