import type { ElementInfo, FhirModel } from '../fhir-model';
import type { FhirPathNode } from './ast';
import type { Collection, ItemEvaluator } from './collection';
import type { StaticType, TypeSpecifier } from './types';

/** One member read in a path such as `name.family`. */
export interface PathStep {
  /** The element name as written. */
  name: string;
  /** JSON keys to try in order: one for an ordinary element, one per type for a choice element. */
  keys: readonly string[];
  /**
   * True when the model does not know the element, because the type before it is
   * unknown: the read then guards against inherited JavaScript properties and scans
   * for a choice key (`value` finds `valueQuantity`).
   */
  dynamic: boolean;
  /** The model's definition of the element, when known. */
  element: ElementInfo | undefined;
  /** 0-based offset of the name in the expression. */
  offset: number;
}

/** A compiled expression: an evaluator for one focus item, and the static type of its result. */
export interface Compiled {
  evaluate: ItemEvaluator;
  type: StaticType;
  /**
   * Set when the expression ends in member reads: `steps` applied to every item of
   * `base`, or to the focus itself when `base` is undefined. Later steps (`.family`,
   * `.first()`, `.ofType(Quantity)`) fuse with these instead of wrapping them.
   */
  chain?: { base: ItemEvaluator | undefined; steps: readonly PathStep[] };
  /** Set when the value does not depend on the focus, such as a literal or a view constant. */
  constant?: { value: Collection };
}

/** Input of a function's compiler: the collection it applies to and its arguments. */
export interface FunctionContext {
  name: string;
  /** 0-based offset of the function name in the expression. */
  offset: number;
  /** The collection the function applies to, evaluated from the outer focus. */
  input: Compiled;
  args: readonly FhirPathNode[];
  /** The argument at a position the function's arity guarantees. */
  arg(position: number): FhirPathNode;
  model: FhirModel;
  /** True when the rest of a JSON key after an element name is a FHIR type name. */
  isChoiceSuffix(suffix: string): boolean;
  /** Compile an argument that is evaluated once per input item, with `$this` the item. */
  compileLambda(node: FhirPathNode, focusType: StaticType): Compiled;
  /** Compile an argument that is evaluated once per call, against the outer focus. */
  compileArgument(node: FhirPathNode): Compiled;
  /** Read an argument that names a type, such as `Quantity` in `ofType(Quantity)`. */
  typeArgument(node: FhirPathNode): TypeSpecifier;
}

export interface FunctionDefinition {
  minArgs: number;
  maxArgs: number;
  compile(context: FunctionContext): Compiled;
}
