import type { Hl7Segment } from '../../segment';
import { createAttachment, type Hl7Attachment } from '../attachments';
import { cleanText } from '../mapping-context';

/** Content of an ED value (OBX-5 of type ED): no data, data that does not decode, or an attachment. */
export type EncapsulatedData =
  | { kind: 'empty' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'attachment'; attachment: Hl7Attachment };

const MIME_TOP_LEVEL_TYPES = new Set([
  'application',
  'audio',
  'font',
  'image',
  'message',
  'model',
  'multipart',
  'text',
  'video',
]);

/** HL7 table 0191 (type of referenced data) codes, as MIME top-level types. */
const TYPE_OF_DATA: Readonly<Record<string, string>> = {
  AP: 'application',
  AU: 'audio',
  FT: 'text',
  IM: 'image',
  MULTIPART: 'multipart',
  NS: 'application',
  SD: 'application',
  SI: 'image',
  TEXT: 'text',
  TX: 'text',
};

const MIME_SUBTYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

/**
 * Read the ED in OBX-5 (first repetition): ED-2 type of data, ED-3 data subtype, ED-4 encoding
 * (`A` for text, `Hex`, `Base64`) and ED-5 the data.
 */
export function readEncapsulatedData(obx: Hl7Segment): EncapsulatedData {
  const data = cleanText(obx.get('5.5'));
  if (data === null) return { kind: 'empty' };
  const mediaType = mediaTypeOf(cleanText(obx.get('5.2')), cleanText(obx.get('5.3')));
  const encoding = (cleanText(obx.get('5.4')) ?? 'A').toLowerCase();

  if (encoding === 'base64') {
    const compact = data.replace(/\s+/g, '');
    if (!BASE64.test(compact) || compact.length % 4 === 1) {
      return { kind: 'invalid', reason: 'ED-5 is not valid Base64 although ED-4 says Base64' };
    }
    return {
      kind: 'attachment',
      attachment: createAttachment(Buffer.from(compact, 'base64'), mediaType, 'base64'),
    };
  }
  if (encoding === 'hex') {
    const compact = data.replace(/\s+/g, '');
    if (!HEX.test(compact))
      return { kind: 'invalid', reason: 'ED-5 is not valid hexadecimal although ED-4 says Hex' };
    return {
      kind: 'attachment',
      attachment: createAttachment(Buffer.from(compact, 'hex'), mediaType, 'hex'),
    };
  }
  if (encoding === 'a') {
    return {
      kind: 'attachment',
      attachment: createAttachment(Buffer.from(data, 'utf8'), mediaType, 'text'),
    };
  }
  return {
    kind: 'invalid',
    reason: 'ED-4 names an encoding other than A, Hex or Base64 (HL7 table 0299)',
  };
}

/**
 * Build a MIME type from ED-2 (a MIME top-level type, or an HL7 table 0191 code such as `AP`) and
 * ED-3 (the subtype, such as `pdf`). Falls back to `application/octet-stream`, or `text/plain` for
 * text without a usable subtype.
 */
export function mediaTypeOf(typeOfData: string | null, subtype: string | null): string {
  const lower = typeOfData?.toLowerCase() ?? '';
  const topLevel = MIME_TOP_LEVEL_TYPES.has(lower)
    ? lower
    : TYPE_OF_DATA[typeOfData?.toUpperCase() ?? ''];
  const sub = subtype?.toLowerCase() ?? '';
  if (topLevel !== undefined && MIME_SUBTYPE.test(sub)) return `${topLevel}/${sub}`;
  return topLevel === 'text' ? 'text/plain' : 'application/octet-stream';
}
