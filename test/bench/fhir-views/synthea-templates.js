'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SYNTHEA_DIR = path.resolve(__dirname, '../../../../shared/testdata/fhir/synthea');

// The parts of a resource's JSON text that the generator varies: every UUID
// (ids, references, identifiers that repeat an id), the year of every date or
// dateTime string, and every number under a "value" key (Quantity and Money).
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const DATE =
  '"(\\d{4})(-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2}))?)"';
const VALUE = '"value":(-?\\d+(?:\\.(\\d+))?)(?=[,}])';
const VARIABLE_PART = new RegExp(`(${UUID})|${DATE}|${VALUE}`, 'g');

/**
 * Lists the Synthea bundles that describe one patient each. The hospital and
 * practitioner bundles contain only Organization and Practitioner resources.
 */
function listPatientBundles() {
  return fs
    .readdirSync(SYNTHEA_DIR)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => !/^(hospital|practitioner)Information/.test(name))
    .sort();
}

/**
 * Rewrites `urn:uuid:` references to `Type/id`, as a FHIR server's Bulk Data
 * export writes them, because NDJSON files have no fullUrl to resolve them by.
 */
function toServerReferences(text, typeByFullUrl, bundleName) {
  return text.replace(new RegExp(`"urn:uuid:(${UUID})"`, 'g'), (match, uuid) => {
    const resourceType = typeByFullUrl.get(`urn:uuid:${uuid}`);
    if (resourceType === undefined) {
      throw new Error(`${bundleName}: reference urn:uuid:${uuid} matches no entry's fullUrl`);
    }
    return `"${resourceType}/${uuid}"`;
  });
}

/**
 * Splits a resource's JSON text into literal text and the slots the generator
 * fills: `{ id }` (index into the bundle's UUIDs), `{ year, rest }` and
 * `{ value, decimals }`.
 */
function splitIntoSegments(text, slotOfUuid) {
  const segments = [];
  let literalStart = 0;
  for (const match of text.matchAll(VARIABLE_PART)) {
    const [whole, uuid, year, dateRest, value, fraction] = match;
    let literal = text.slice(literalStart, match.index);
    let slot;
    if (uuid !== undefined) {
      if (!slotOfUuid.has(uuid)) slotOfUuid.set(uuid, slotOfUuid.size);
      slot = { id: slotOfUuid.get(uuid) };
    } else if (year !== undefined) {
      literal += '"';
      slot = { year: Number(year), rest: `${dateRest}"` };
    } else {
      literal += '"value":';
      slot = { value: Number(value), decimals: fraction === undefined ? 0 : fraction.length };
    }
    segments.push(literal, slot);
    literalStart = match.index + whole.length;
  }
  segments.push(text.slice(literalStart));
  return segments;
}

/**
 * Reads the Synthea patient bundles of the shared test data into templates:
 * per bundle, its resources of the given types as segments of JSON text, and
 * the number of distinct UUIDs they use. Resources of other types are left
 * out, but references to them keep their `Type/id` form.
 */
function loadSyntheaTemplates(resourceTypes) {
  const wanted = new Set(resourceTypes);
  return listPatientBundles().map((bundleName) => {
    const bundle = JSON.parse(fs.readFileSync(path.join(SYNTHEA_DIR, bundleName), 'utf8'));
    const typeByFullUrl = new Map(
      bundle.entry.map((entry) => [entry.fullUrl, entry.resource.resourceType]),
    );
    const slotOfUuid = new Map();
    const resources = bundle.entry
      .filter((entry) => wanted.has(entry.resource.resourceType))
      .map((entry) => {
        const text = toServerReferences(JSON.stringify(entry.resource), typeByFullUrl, bundleName);
        return {
          resourceType: entry.resource.resourceType,
          segments: splitIntoSegments(text, slotOfUuid),
        };
      });
    return { bundleName, resources, idCount: slotOfUuid.size };
  });
}

module.exports = { loadSyntheaTemplates, SYNTHEA_DIR };
