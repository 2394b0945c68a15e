import type { ErrorPosition } from '@carelake/core';
import {
  createConformanceChecker,
  FhirMappingError,
  FhirReadError,
  mapFhirResourceRow,
  readResourceIdentity,
  type ConformanceChecker,
  type ConformanceIssue,
  type FhirEntry,
  type FhirMappingContext,
  type ResourceIdentity,
} from '@carelake/fhir';
import { addRows, type DecodeContext, type DecodedFile } from './decoded-file';

/** Issues listed in a conformance quarantine reason before the rest are only counted. */
const MAX_LISTED_ISSUES = 10;

/**
 * Turns each FHIR entry of one file into rows: its raw.fhir_resources row, then, unless the
 * conformance check rejects it, the rows of every view of its type. A resource that one view
 * cannot map goes to quarantine for that view only. The clinical tables are built from the view
 * tables by SQL transforms after the view rows are committed.
 */
export class FhirEntryDecoder {
  private readonly mapping: FhirMappingContext;
  private readonly conformance: 'reject' | 'warn' | 'off';
  private readonly checker: ConformanceChecker | undefined;

  constructor(
    private readonly decoded: DecodedFile,
    private readonly context: DecodeContext,
    private readonly ndjson: boolean,
  ) {
    this.mapping = { sourceFile: context.landingKey, ingestedAt: context.ingestedAt };
    this.conformance = context.conformance ?? 'reject';
    this.checker = this.conformance === 'off' ? undefined : (context.conformanceChecker ?? createConformanceChecker());
  }

  add(entry: FhirEntry): void {
    this.decoded.records++;
    const position = this.positionOf(entry);

    let identity: ResourceIdentity;
    try {
      identity = readResourceIdentity(entry, this.mapping);
    } catch (error) {
      if (!(error instanceof FhirMappingError)) throw error;
      // Without a valid meta there is no raw row either, so the resource itself is kept in quarantine.
      this.quarantine(position, error, `map: ${error.message}`, JSON.stringify(entry.resource));
      return;
    }
    addRows(this.decoded, 'raw.fhir_resources', [mapFhirResourceRow(entry, this.mapping, identity)]);

    if (!entry.deleted && !this.passesConformance(entry, position)) return;
    this.addViewRows(entry, identity, position);
  }

  /** Checks a resource, and returns false when `reject` applies and an error issue keeps it out of every curated table. */
  private passesConformance(entry: FhirEntry, position: ErrorPosition): boolean {
    if (!this.checker) return true;
    // No bundle fullUrls are passed: the reader has already reported each unresolved bundle reference.
    const issues = this.checker.check(entry.resource);
    const errors = issues.filter((issue) => issue.severity === 'error');
    if (this.conformance === 'reject' && errors.length > 0) {
      this.decoded.problems.push({
        position: { ...position, field: (errors[0] as ConformanceIssue).path },
        reason: `conformance: ${describeIssues(errors)}`,
      });
      const warnings = issues.filter((issue) => issue.severity === 'warning');
      this.addWarnings(warnings, position);
      return false;
    }
    this.addWarnings(issues, position);
    return true;
  }

  private addWarnings(issues: readonly ConformanceIssue[], position: ErrorPosition): void {
    this.decoded.warnings += issues.length;
    for (const issue of issues) {
      this.decoded.mappingWarnings.push({
        code: `conformance-${issue.code}`,
        position: { ...position, field: issue.path },
        reason: issue.reason,
      });
    }
  }

  private addViewRows(entry: FhirEntry, identity: ResourceIdentity, position: ErrorPosition): void {
    const views = this.context.fhirViews;
    if (!views) return;
    for (const viewTable of views.tablesOf(entry.resource.resourceType)) {
      try {
        addRows(this.decoded, viewTable.table, viewTable.mapRows(entry, identity, this.mapping));
      } catch (error) {
        // Both FhirMappingError (a value that does not fit its column) and ViewEvaluationError (a
        // view that cannot read the resource) are FhirReadErrors.
        if (!(error instanceof FhirReadError)) throw error;
        this.quarantine({ ...position, keyPath: viewTable.table }, error, `${viewTable.table}: ${error.message}`);
      }
    }
  }

  private quarantine(position: ErrorPosition, error: FhirReadError, reason: string, content?: string): void {
    const field = error.position?.field;
    this.decoded.problems.push({
      position: { ...position, ...(field === undefined ? {} : { field }) },
      reason,
      ...(content === undefined ? {} : { content }),
    });
  }

  /** Names an NDJSON resource by its 1-based line, as the reader names bad lines, and a bundle entry by its index. */
  private positionOf(entry: FhirEntry): ErrorPosition {
    return this.ndjson ? { line: entry.position + 1 } : { record: entry.position };
  }
}

/** Lists codes and element paths, never values, so the reason is safe to log. */
function describeIssues(errors: readonly ConformanceIssue[]): string {
  const listed = errors.slice(0, MAX_LISTED_ISSUES).map((issue) => `${issue.code} at ${issue.path}`);
  const more = errors.length > MAX_LISTED_ISSUES ? `, and ${errors.length - MAX_LISTED_ISSUES} more` : '';
  return `${errors.length} error(s): ${listed.join(', ')}${more}`;
}
