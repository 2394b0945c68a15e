import type { FunctionDefinition } from './compiled';
import { COLLECTION_FUNCTIONS } from './functions-collections';
import { FHIR_FUNCTIONS } from './functions-fhir';
import { STRING_FUNCTIONS } from './functions-strings';

/** Every function the compiler supports, by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionDefinition>> = {
  ...COLLECTION_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...FHIR_FUNCTIONS,
};
