/** Kind of conformance failure, so callers branch on a code and never on the reason text. */
export type ConformanceIssueCode =
  /** A resource has no `resourceType` string. */
  | 'missing-resource-type'
  /** `resourceType` names no concrete FHIR R4 resource type. */
  | 'unknown-resource-type'
  /** An element with minimum cardinality 1 or more is absent. */
  | 'required-missing'
  /** A non-repeating element is an array, or a repeating one has more items than its maximum. */
  | 'too-many'
  /** A repeating element (maximum `*`) is not a JSON array. */
  | 'not-an-array'
  /** A primitive has the wrong JSON type or does not match its R4 regex or range. */
  | 'invalid-primitive'
  /** A complex element is not a JSON object, or a value is null, an empty object or an empty array. */
  | 'invalid-structure'
  /** More than one type of the same choice element, such as `valueQuantity` and `valueString`, is present. */
  | 'choice-conflict'
  /** A choice element uses a type its definition does not allow, such as `valueFoo`. */
  | 'choice-type-not-allowed'
  /** A property that the element's definition does not have. */
  | 'unknown-element'
  /** A `urn:uuid:` or `urn:oid:` reference names no fullUrl of the bundle. */
  | 'unresolved-reference'
  /** The resource nests deeper than the checker descends, so the deeper part was not checked. */
  | 'nesting-too-deep';

/**
 * One failure of a resource against the FHIR R4 definitions. It names the element
 * and the rule, never the element's value, so it is safe to log and to store as
 * a quarantine reason.
 */
export interface ConformanceIssue {
  /** `warning` for an unresolved bundle reference, as the bundle reader reports it, and `error` for the rest. */
  severity: 'error' | 'warning';
  code: ConformanceIssueCode;
  /**
   * `resourceType` of the resource given to `check`, also for issues inside its
   * contained resources. Undefined when it is missing or is not shaped like a
   * type name, so that arbitrary text is never copied into an issue.
   */
  resourceType: string | undefined;
  /** `id` of the resource given to `check`, when it is a valid FHIR id. */
  id: string | undefined;
  /**
   * FHIR element path with 0-based indexes of repeating elements, such as
   * `Observation.component[1].code.coding[0].system`. Contained resources continue
   * the path of their container: `Patient.contained[0].code`.
   */
  path: string;
  reason: string;
}
