import { sha256Hex } from '@carelake/core';

/** Raw-zone prefix of the attachment objects. */
export const HL7_ATTACHMENT_PREFIX = 'raw/hl7v2_attachments/';

/**
 * A value kept out of its table, such as the data of an ED observation or a large document. The
 * row carries `key` and the byte size; the runner stores `bytes` under `key`.
 */
export interface Hl7Attachment {
  /** `raw/hl7v2_attachments/<first two hex digits of sha256>/<sha256>`. */
  key: string;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  /** The content, decoded from the encoding the message used. */
  bytes: Uint8Array;
  /** MIME type, such as `application/pdf`; `application/octet-stream` when the message names none. */
  mediaType: string;
  /** Encoding of the content in the message: ED-4 `Base64` or `Hex`, or `text` for plain text. */
  encoding: 'base64' | 'hex' | 'text';
}

/** Build the attachment of some content, keyed by its SHA-256. */
export function createAttachment(
  bytes: Uint8Array,
  mediaType: string,
  encoding: Hl7Attachment['encoding'],
): Hl7Attachment {
  const sha256 = sha256Hex(bytes);
  return { key: attachmentKey(sha256), sha256, bytes, mediaType, encoding };
}

export function attachmentKey(sha256: string): string {
  return `${HL7_ATTACHMENT_PREFIX}${sha256.slice(0, 2)}/${sha256}`;
}
