import type { DatasetDefinition, ErrorPosition, Row } from '@carelake/core';
import type { CsvSchema } from '@carelake/csv';
import type { ConformanceChecker, FhirViewSet } from '@carelake/fhir';
import type { ControlIdRegistry, Hl7MappingSet } from '@carelake/hl7v2';

/** A problem a decoder found in one part of a file; that part goes to quarantine. */
export interface DecodeProblem {
  position: ErrorPosition;
  reason: string;
  /** The rejected text, when the decoder can isolate it. The whole file stays in landing/ either way. */
  content?: string;
}

/** A condition a decoder noted in a part of a file it still decoded; positions only, never values. */
export interface DecodeWarning {
  code: string;
  position: ErrorPosition;
  reason: string;
}

/**
 * Content kept out of the table rows, such as the data of an HL7 v2 ED value. The rows name it
 * by `key`, a raw-zone object key; the runner stores `bytes` there through the ObjectStore.
 */
export interface DecodedAttachment {
  /** `raw/hl7v2_attachments/<sha256[0:2]>/<sha256>` for HL7 v2. */
  key: string;
  bytes: Uint8Array;
  /** MIME type, such as `application/pdf`. */
  mediaType: string;
}

/** The records, rows and problems a decoder produced from one landed file. */
export interface DecodedFile {
  /** Messages or resources read, valid or not. */
  records: number;
  rowsByTable: Map<string, Row[]>;
  problems: DecodeProblem[];
  /** Count of every warning, the parser's and the mappings'. */
  warnings: number;
  /**
   * The warnings worth logging one by one, with their positions: HL7 v2 values mapped to null,
   * reused control ids, and FHIR conformance issues under `decode.conformance: warn`.
   */
  mappingWarnings: DecodeWarning[];
  /** Attachments the rows refer to, once per key. */
  attachments: DecodedAttachment[];
}

export interface DecodeContext {
  landingKey: string;
  ingestedAt: Date;
  mode: 'lenient' | 'strict';
  /** The pipeline's compiled HL7 v2 mappings (`loadHl7Mappings`); the built-in ones when left out. */
  hl7Mappings?: Hl7MappingSet;
  /** One registry for the whole run, so that a control id reused across files is noticed. */
  controlIds?: ControlIdRegistry;
  /** The pipeline's `decode.conformance`; `reject` when left out. */
  conformance?: 'reject' | 'warn' | 'off';
  /** One FHIR conformance checker for the whole run; the decoder creates one when left out. */
  conformanceChecker?: ConformanceChecker;
  /** The pipeline's CSV schema and the one table its rows go to, for CSV files. */
  csv?: { schema: CsvSchema; dataset: DatasetDefinition };
  /** The compiled views of the pipeline's fhir.* outputs (`loadFhirViews`); no view rows when left out. */
  fhirViews?: FhirViewSet;
}

export function addRows(decoded: DecodedFile, table: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const existing = decoded.rowsByTable.get(table);
  if (existing) existing.push(...rows);
  else decoded.rowsByTable.set(table, [...rows]);
}

export function emptyDecodedFile(): DecodedFile {
  return {
    records: 0,
    rowsByTable: new Map(),
    problems: [],
    warnings: 0,
    mappingWarnings: [],
    attachments: [],
  };
}
