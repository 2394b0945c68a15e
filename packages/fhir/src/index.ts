export { readFhirJson, type ReadFhirJsonOptions } from './bundle-reader';
export {
  readNdjson,
  collectFhirReadResult,
  isGzip,
  DEFAULT_MAX_LINE_BYTES,
  type ReadNdjsonOptions,
} from './ndjson-reader';
export { isFhirProblem, type FhirProblem, type FhirProblemCode } from './problems';
export type { FhirEntry, FhirResource, FhirReadResult, JsonObject } from './types';
export { FhirReadError, FhirMappingError } from './errors';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax';
export { parseFhirDate, parseFhirDateTime, parseFhirInstant } from './fhir-dates';
export { mapFhirResourceRow } from './map-resource-row';
export {
  FHIR_RESOURCES_COLUMNS,
  type Row,
  type RowOf,
  type FhirResourcesRow,
  type FhirMappingContext,
} from './rows';
export {
  createConformanceChecker,
  type ConformanceChecker,
  type ConformanceContext,
} from './conformance/checker';
export type { ConformanceIssue, ConformanceIssueCode } from './conformance/issues';
export { FhirDefinitionError } from './conformance/errors';
export {
  compileViewDefinition,
  viewColumnTableType,
  ViewDefinitionError,
  ViewEvaluationError,
  type CompiledView,
  type CompileViewOptions,
  type ViewColumn,
  type ViewDefinitionIssue,
  type ViewRow,
} from './views';
export { readResourceIdentity, type ResourceIdentity } from './resource-identity';
export { VIEW_DATABASE, VIEW_LINEAGE_COLUMNS, deriveViewDataset, viewTableName } from './view-dataset';
export { createFhirViewTable, type FhirViewTable } from './view-table';
export { compileFhirViews, FhirViewSet, type CompileFhirViewsOptions, type FhirViewSource } from './view-set';
