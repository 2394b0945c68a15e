import { sha256Hex } from '@carelake/core';
import { formatOfRecord } from './stream-record';

/** Hex digits of the SHA-256 kept in a partition key: 128 bits, far from any collision among patients. */
const KEY_HEX_DIGITS = 32;

/**
 * Choose a record's partition key, so that the records of one patient (HL7 v2) or one resource
 * (FHIR) land on one shard, in order. The key is a SHA-256 of ids, never an id or a field value,
 * because partition keys stay readable on the stream even when the data is encrypted:
 * - HL7 v2: the sending facility (MSH-4) and the first patient identifier (PID-3.1 and
 *   PID-3.4), or MSH-3 and MSH-4 for a message without a PID segment;
 * - FHIR: `resourceType/id`, or the content for a resource without an id;
 * - anything else: the content.
 * With `keyCount`, that hash is reduced to one of `keyCount` keys, `key-0` to `key-<keyCount-1>`.
 *
 * NOTE: a hash of a medical record number can be reversed by trying every number of its format.
 * It keeps ids out of the stream's metadata, and is no substitute for access control.
 */
export function partitionKeyOf(data: Uint8Array, keyCount?: number): string {
  const hash = sha256Hex(identityOf(data) ?? data);
  if (keyCount === undefined) return hash.slice(0, KEY_HEX_DIGITS);
  // The first 48 bits of the hash, reduced to one of keyCount keys; the same identity, the same key.
  return `key-${Number.parseInt(hash.slice(0, 12), 16) % keyCount}`;
}

/** Default number of partition keys with aggregation: few enough that aggregated records fill up. */
export const AGGREGATED_PARTITION_KEYS = 256;

function identityOf(data: Uint8Array): string | undefined {
  const format = formatOfRecord(data);
  if (format === 'hl7v2') return hl7Identity(data);
  if (format === 'fhir') return fhirIdentity(data);
  return undefined;
}

function hl7Identity(data: Uint8Array): string | undefined {
  const text = Buffer.from(data)
    .toString('latin1')
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const segments = text.split(/\r\n|\r|\n/);
  const header = segments.find((segment) => segment.startsWith('MSH'));
  if (!header || header.length < 8) return undefined;
  const fieldSeparator = header.charAt(3);
  const componentSeparator = header.charAt(4);
  // MSH-1 is the separator itself, so MSH-n is at index n - 1 of the split.
  const msh = header.split(fieldSeparator);
  const sendingApplication = msh[2] ?? '';
  const sendingFacility = msh[3] ?? '';

  const pid = segments.find((segment) => segment.startsWith(`PID${fieldSeparator}`));
  if (!pid) return `msh|${sendingApplication}|${sendingFacility}`;
  const firstIdentifier = (pid.split(fieldSeparator)[3] ?? '').split(header.charAt(5))[0] ?? '';
  const components = firstIdentifier.split(componentSeparator);
  return `pid|${sendingFacility}|${components[0] ?? ''}|${components[3] ?? ''}`;
}

function fhirIdentity(data: Uint8Array): string | undefined {
  try {
    const resource = JSON.parse(
      Buffer.from(data)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    ) as { resourceType?: unknown; id?: unknown };
    if (typeof resource.resourceType !== 'string' || typeof resource.id !== 'string')
      return undefined;
    return `fhir|${resource.resourceType}/${resource.id}`;
  } catch {
    return undefined;
  }
}
