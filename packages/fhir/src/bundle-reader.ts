import { resolveBundleReferences, type FullUrlTargets } from './bundle-references';
import { parseFhirInstant } from './fhir-dates';
import { findJsonSyntaxError } from './json-syntax';
import { isFhirProblem, type FhirProblem } from './problems';
import { checkResourceShape, describeJsonType } from './resource-check';
import { isJsonObject, type FhirEntry, type FhirReadResult, type JsonObject } from './types';

export interface ReadFhirJsonOptions {
  /** Name of the input (its landing key), used in problems. */
  file: string;
}

/** `Type/id` at the end of a relative or absolute URL, the target of a DELETE entry. */
const DELETE_TARGET = /(?:^|\/)([A-Z][A-Za-z]*)\/([A-Za-z0-9.-]{1,64})$/;

/**
 * Reads one FHIR JSON document: a Bundle of any type (transaction, batch,
 * collection, searchset, ...) or a single resource.
 *
 * Each Bundle entry becomes one `FhirEntry`; an entry whose request is
 * `DELETE Type/id` becomes a deleted entry with a `{ resourceType, id }` stub,
 * dated by its `response.lastModified`, else by the `Bundle.timestamp`.
 * References to `urn:uuid:` or `urn:oid:` fullUrls are rewritten to the named
 * entry's `Type/id`. An entry that is not a resource is reported and skipped,
 * and the other entries are still read. Invalid JSON yields one problem with
 * the line and column of the first syntax error. A Bundle nested in an entry is
 * kept as one resource and not expanded.
 */
export function readFhirJson(text: string, options: ReadFhirJsonOptions): FhirReadResult {
  const { file } = options;
  // A UTF-8 byte-order mark survives decoding as U+FEFF, which JSON.parse rejects.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;

  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return { resources: [], problems: [invalidJsonProblem(json, file)] };
  }

  const checked = checkResourceShape(document);
  if (!checked.ok) {
    return {
      resources: [],
      problems: [{ severity: 'error', code: checked.code, file, reason: checked.reason }],
    };
  }
  if (checked.resource.resourceType !== 'Bundle') {
    return {
      resources: [{ resource: checked.resource, position: 0, deleted: false }],
      problems: [],
    };
  }
  return readBundleEntries(checked.resource, file);
}

function invalidJsonProblem(json: string, file: string): FhirProblem {
  const syntaxError = findJsonSyntaxError(json);
  if (!syntaxError) {
    return {
      severity: 'error',
      code: 'invalid-json',
      file,
      reason: 'the document is not valid JSON',
    };
  }
  return {
    severity: 'error',
    code: 'invalid-json',
    file,
    line: syntaxError.line,
    column: syntaxError.column,
    reason: `the document is not valid JSON: ${syntaxError.reason}`,
  };
}

function readBundleEntries(bundle: JsonObject, file: string): FhirReadResult {
  const resources: FhirEntry[] = [];
  const problems: FhirProblem[] = [];
  const rawEntries = bundle['entry'];

  if (rawEntries === undefined) return { resources, problems };
  if (!Array.isArray(rawEntries)) {
    problems.push({
      severity: 'error',
      code: 'invalid-structure',
      file,
      field: 'Bundle.entry',
      reason: `Bundle.entry must be an array, found ${describeJsonType(rawEntries)}`,
    });
    return { resources, problems };
  }

  const bundleTime = new BundleTime(bundle, file, problems);
  rawEntries.forEach((rawEntry: unknown, position) => {
    const read = readEntry(rawEntry, position, file);
    if (isFhirProblem(read)) {
      problems.push(read);
      return;
    }
    if (read.deleted) {
      const deletedAt = bundleTime.deleteTimeOf(rawEntry as JsonObject, position);
      if (deletedAt !== undefined) read.deletedAt = deletedAt;
    }
    resources.push(read);
  });

  const targets = collectFullUrlTargets(resources, file, problems);
  for (const entry of resources) {
    if (entry.deleted) continue;
    for (const unresolved of resolveBundleReferences(entry.resource, targets)) {
      problems.push({
        severity: 'warning',
        code: 'unresolved-reference',
        file,
        record: entry.position,
        ...unresolved,
      });
    }
  }

  problems.sort((left, right) => (left.record ?? -1) - (right.record ?? -1));
  return { resources, problems };
}

function readEntry(rawEntry: unknown, position: number, file: string): FhirEntry | FhirProblem {
  const field = `Bundle.entry[${position}]`;
  const problem = (code: FhirProblem['code'], reason: string, at = field): FhirProblem => ({
    severity: 'error',
    code,
    file,
    record: position,
    field: at,
    reason,
  });

  if (!isJsonObject(rawEntry)) {
    return problem(
      'invalid-structure',
      `a Bundle entry must be an object, found ${describeJsonType(rawEntry)}`,
    );
  }

  const fullUrl = typeof rawEntry['fullUrl'] === 'string' ? rawEntry['fullUrl'] : undefined;
  const request = isJsonObject(rawEntry['request']) ? rawEntry['request'] : undefined;
  const requestMethod = typeof request?.['method'] === 'string' ? request['method'] : undefined;
  const located = {
    position,
    ...(fullUrl === undefined ? {} : { fullUrl }),
    ...(requestMethod ? { requestMethod } : {}),
  };

  if (requestMethod?.toUpperCase() === 'DELETE') {
    const url = typeof request?.['url'] === 'string' ? request['url'] : '';
    const [, resourceType, id] = DELETE_TARGET.exec(url) ?? [];
    if (resourceType === undefined || id === undefined) {
      return problem(
        'invalid-delete-url',
        'a DELETE entry needs request.url of the form Type/id; conditional deletes cannot be resolved offline',
        `${field}.request.url`,
      );
    }
    const deletedRef = { resourceType, id };
    return { resource: { ...deletedRef }, ...located, deleted: true, deletedRef };
  }

  const checked = checkResourceShape(rawEntry['resource']);
  if (!checked.ok) return problem(checked.code, checked.reason, `${field}.resource`);
  return { resource: checked.resource, ...located, deleted: false };
}

/**
 * Maps each entry's fullUrl to its `Type/id`. A fullUrl used by two entries is
 * reported, and the first entry keeps it.
 */
function collectFullUrlTargets(
  entries: readonly FhirEntry[],
  file: string,
  problems: FhirProblem[],
): FullUrlTargets {
  const targets: FullUrlTargets = new Map();
  for (const entry of entries) {
    if (entry.fullUrl === undefined || entry.deleted) continue;
    if (targets.has(entry.fullUrl)) {
      problems.push({
        severity: 'warning',
        code: 'duplicate-full-url',
        file,
        record: entry.position,
        field: `Bundle.entry[${entry.position}].fullUrl`,
        reason: 'another entry has the same fullUrl; references to it resolve to the first entry',
      });
      continue;
    }
    const id = entry.resource.id;
    targets.set(
      entry.fullUrl,
      typeof id === 'string' && id !== '' ? `${entry.resource.resourceType}/${id}` : undefined,
    );
  }
  return targets;
}

/**
 * Dates DELETE entries, which carry no meta of their own: by the entry's
 * `response.lastModified` (as history bundles give it), else by the
 * `Bundle.timestamp`. A value that is not a FHIR instant is reported as a
 * warning, once for the Bundle.timestamp, and not used.
 */
class BundleTime {
  private timestamp: string | undefined;
  private timestampChecked = false;

  constructor(
    private readonly bundle: JsonObject,
    private readonly file: string,
    private readonly problems: FhirProblem[],
  ) {}

  deleteTimeOf(rawEntry: JsonObject, position: number): string | undefined {
    const response = isJsonObject(rawEntry['response']) ? rawEntry['response'] : undefined;
    const lastModified = response?.['lastModified'];
    if (lastModified !== undefined) {
      const field = `Bundle.entry[${position}].response.lastModified`;
      const valid = this.validInstant(lastModified, field, position);
      if (valid !== undefined) return valid;
    }
    return this.bundleTimestamp();
  }

  private bundleTimestamp(): string | undefined {
    if (!this.timestampChecked) {
      this.timestampChecked = true;
      const value = this.bundle['timestamp'];
      if (value !== undefined) this.timestamp = this.validInstant(value, 'Bundle.timestamp');
    }
    return this.timestamp;
  }

  private validInstant(value: unknown, field: string, record?: number): string | undefined {
    if (typeof value === 'string' && parseFhirInstant(value) !== undefined) return value;
    this.problems.push({
      severity: 'warning',
      code: 'invalid-delete-time',
      file: this.file,
      ...(record === undefined ? {} : { record }),
      field,
      reason: `${field} is not a FHIR instant (YYYY-MM-DDThh:mm:ss with a zone), so a DELETE entry cannot be dated by it`,
    });
    return undefined;
  }
}
