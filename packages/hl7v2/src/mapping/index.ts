export { mapHl7Message, type Hl7MappedRows } from './map-message';
export { type Hl7MappingContext } from './mapping-context';
export { parseHl7Number } from './observation-values';
export type {
  ClinicalLineage,
  ClinicalObservationRow,
  ClinicalPatientRow,
  RawHl7SegmentRow,
} from './rows';
