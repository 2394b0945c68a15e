import type { CheckWalk } from './check-walk';

/** Checks one value that is not an array: a primitive, an object of a complex type, or a resource. */
export type ValueCheck = (value: unknown, walk: CheckWalk) => void;

/** One JSON property that an object of a shape may have. */
export interface MemberRule {
  /** JSON property name, such as `status`, `valueQuantity` or `_birthDate`. */
  name: string;
  /** Path of the element in its definition, such as `Observation.value[x]`, for reasons. */
  elementPath: string;
  /** Maximum number of occurrences: 1, or Infinity for `*`. */
  max: number;
  /** Index into `ObjectShape.choices` for a member of a choice element, else -1. */
  choiceIndex: number;
  /**
   * For a primitive `x`, the name `_x`, and for `_x`, the name `x`. In a
   * repeating primitive, an item may be null where the companion array has an
   * item at the same index.
   */
  companion: string | undefined;
  checkValue: ValueCheck;
}

/** An element with minimum cardinality 1 or more, and the JSON properties that count as its presence. */
export interface RequiredRule {
  /** Element name as the path shows it when missing, such as `status` or `value[x]`. */
  name: string;
  /** Path of the element in its definition, such as `Observation.status`. */
  elementPath: string;
  min: number;
  /** Member names that count as presence: `status` and `_status`, or every member of a choice. */
  memberNames: string[];
}

/**
 * A compiled resource type, complex data type or backbone element: the members
 * an object may have, the ones it must have, and its choice elements. Shapes are
 * filled after they are registered, so recursive types (`Extension.extension`,
 * `Questionnaire.item.item`) point at themselves.
 */
export interface ObjectShape {
  /** Type name or backbone element path, such as `Coding` or `Observation.component`. */
  name: string;
  /** True for resources, whose objects carry a `resourceType` member. */
  isResource: boolean;
  members: Map<string, MemberRule>;
  required: RequiredRule[];
  /** Choice elements by `MemberRule.choiceIndex`: the name without `[x]` and the allowed types. */
  choices: Array<{ name: string; typeCodes: string[] }>;
}

export function createShape(name: string, isResource: boolean): ObjectShape {
  return { name, isResource, members: new Map(), required: [], choices: [] };
}
