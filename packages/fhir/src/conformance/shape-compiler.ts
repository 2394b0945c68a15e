import { checkObjectValue, checkResourceValue } from './check-object';
import type { CheckWalk } from './check-walk';
import type { ElementDefinition, R4Definitions, TypeDefinition } from './definitions';
import { FhirDefinitionError } from './errors';
import { createShape, type ObjectShape, type ValueCheck } from './object-shape';
import { compilePrimitiveRules, primitiveProblem, type PrimitiveRule } from './primitives';

/**
 * Compiles R4 type definitions into `ObjectShape`s. A resource type is compiled
 * when a resource of that type is first checked, together with the data types
 * it uses that are not compiled yet. Data type shapes are shared by every
 * resource type; backbone element shapes belong to their resource type.
 */
export class ShapeCompiler {
  private readonly primitiveRules: Map<string, PrimitiveRule>;
  private readonly shapes = new Map<string, ObjectShape>();
  readonly resourceValueCheck: ValueCheck;

  constructor(private readonly definitions: R4Definitions) {
    this.primitiveRules = compilePrimitiveRules(definitions);
    const lookup = (resourceType: string): ObjectShape | undefined =>
      this.resourceShape(resourceType);
    this.resourceValueCheck = (value, walk) => checkResourceValue(value, walk, lookup);
  }

  /** Returns the shape of a concrete R4 resource type, or undefined for any other name. */
  resourceShape(resourceType: string): ObjectShape | undefined {
    const definition = this.definitions.get(resourceType);
    if (!definition || definition.kind !== 'resource' || definition.abstract) return undefined;
    return this.shapes.get(resourceType) ?? this.compileType(definition);
  }

  /** Returns the rule of an R4 primitive type, such as `id`. */
  primitiveRule(type: string): PrimitiveRule | undefined {
    return this.primitiveRules.get(type);
  }

  private complexTypeShape(type: string): ObjectShape {
    const cached = this.shapes.get(type);
    if (cached) return cached;
    const definition = this.definitions.get(type);
    if (!definition || definition.kind === 'primitive-type') {
      throw new FhirDefinitionError(`the R4 definitions have no complex type ${type}`);
    }
    return this.compileType(definition);
  }

  /**
   * Compiles a type and its backbone elements. Each shape is registered before
   * its members are filled in, so an element that refers back to the type or to
   * an enclosing backbone element finds the shape instead of recursing forever.
   */
  private compileType(definition: TypeDefinition): ObjectShape {
    const childrenByParent = new Map<string, ElementDefinition[]>();
    for (const element of definition.elements) {
      const parent = element.path.slice(0, element.path.lastIndexOf('.'));
      const siblings = childrenByParent.get(parent) ?? [];
      siblings.push(element);
      childrenByParent.set(parent, siblings);
    }

    const backboneShapes = new Map<string, ObjectShape>();
    const shapeAt = (path: string): ObjectShape => {
      const known = backboneShapes.get(path);
      if (known) return known;
      const children = childrenByParent.get(path);
      if (!children) {
        throw new FhirDefinitionError(
          `the R4 definition of ${definition.name} has no elements below ${path}`,
        );
      }
      const shape = createShape(path, false);
      backboneShapes.set(path, shape);
      for (const element of children) this.addElement(shape, element, childrenByParent, shapeAt);
      return shape;
    };

    const shape = createShape(definition.name, definition.kind === 'resource');
    this.shapes.set(definition.name, shape);
    backboneShapes.set(definition.name, shape);
    for (const element of childrenByParent.get(definition.name) ?? []) {
      this.addElement(shape, element, childrenByParent, shapeAt);
    }
    return shape;
  }

  /** Adds the members of one element: one per type of a choice, and `_x` for each primitive. */
  private addElement(
    shape: ObjectShape,
    element: ElementDefinition,
    childrenByParent: Map<string, ElementDefinition[]>,
    shapeAt: (path: string) => ObjectShape,
  ): void {
    if (element.max === 0) return;
    const elementName = element.path.slice(element.path.lastIndexOf('.') + 1);
    const isChoice = elementName.endsWith('[x]');
    const baseName = isChoice ? elementName.slice(0, -3) : elementName;
    const choiceIndex = isChoice ? shape.choices.length : -1;
    if (isChoice) shape.choices.push({ name: baseName, typeCodes: element.typeCodes });

    const memberNames: string[] = [];
    const addMember = (
      name: string,
      companion: string | undefined,
      checkValue: ValueCheck,
    ): void => {
      shape.members.set(name, {
        name,
        elementPath: element.path,
        max: element.max,
        choiceIndex,
        companion,
        checkValue,
      });
      memberNames.push(name);
    };

    if (element.contentReference !== undefined) {
      const target = element.contentReference;
      addMember(baseName, undefined, (value, walk) =>
        checkObjectValue(shapeAt(target), value, walk),
      );
    } else if (childrenByParent.has(element.path)) {
      const backbone = shapeAt(element.path);
      addMember(baseName, undefined, (value, walk) => checkObjectValue(backbone, value, walk));
    } else {
      for (const typeCode of element.typeCodes) {
        const name = isChoice
          ? baseName + typeCode[0]?.toUpperCase() + typeCode.slice(1)
          : baseName;
        const primitive = this.primitiveRules.get(typeCode);
        if (primitive) {
          // A primitive's `_x` object contains Element's members: id and extension.
          const elementShape = this.complexTypeShape('Element');
          addMember(name, `_${name}`, this.primitiveCheck(shape, elementName, primitive));
          addMember(`_${name}`, name, (value, walk) => checkObjectValue(elementShape, value, walk));
        } else {
          addMember(name, undefined, this.complexCheck(element, typeCode));
        }
      }
    }

    if (element.min > 0) {
      shape.required.push({
        name: elementName,
        elementPath: element.path,
        min: element.min,
        memberNames,
      });
    }
  }

  private primitiveCheck(shape: ObjectShape, elementName: string, rule: PrimitiveRule): ValueCheck {
    const check: ValueCheck = (value, walk) => {
      const problem = primitiveProblem(rule, value);
      if (problem !== undefined) walk.report('invalid-primitive', problem);
    };
    if (shape.name !== 'Reference' || elementName !== 'reference') return check;
    return (value, walk) => {
      check(value, walk);
      if (typeof value === 'string') checkBundleReference(value, walk);
    };
  }

  private complexCheck(element: ElementDefinition, typeCode: string): ValueCheck {
    if (typeCode === 'Resource') return this.resourceValueCheck;
    if (typeCode === 'BackboneElement' || typeCode === 'Element') {
      throw new FhirDefinitionError(
        `the R4 element ${element.path} is a backbone element without children`,
      );
    }
    const shape = this.complexTypeShape(typeCode);
    return (value, walk) => checkObjectValue(shape, value, walk);
  }
}

/** Reports a bundle-local URN, which only a fullUrl in the same bundle can resolve, that names no entry. */
function checkBundleReference(reference: string, walk: CheckWalk): void {
  const fullUrls = walk.bundleFullUrls;
  if (fullUrls === undefined || fullUrls.has(reference)) return;
  if (!reference.startsWith('urn:uuid:') && !reference.startsWith('urn:oid:')) return;
  walk.report(
    'unresolved-reference',
    'the reference is a bundle-local URN that names no entry fullUrl in this bundle',
    'warning',
  );
}
