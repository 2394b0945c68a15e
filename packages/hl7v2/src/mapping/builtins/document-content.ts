import type { BuiltinValues, RowScope } from '../compile/row-scope';
import { createAttachment } from '../attachments';
import { cleanText } from '../mapping-context';
import { readEncapsulatedData } from './encapsulated-data';
import { observationTextLines, type BuiltinSettings } from './observation-value';

const TEXT_TYPES = new Set(['FT', 'ST', 'TX']);

/**
 * Read the content of a document: in MDM, the OBX segments after a TXA. The first OBX of type ED
 * with data becomes an attachment. Otherwise the ST, TX and FT values are joined, one line per OBX
 * and per repetition, and become an attachment only when larger than `maxInlineBytes`.
 */
export function readDocumentContent(
  scope: RowScope,
  settings: BuiltinSettings,
  obxSlot: number,
): BuiltinValues {
  const segments = scope.following[obxSlot] ?? [];
  for (const obx of segments) {
    if (cleanText(obx.get('2')) !== 'ED') continue;
    const data = readEncapsulatedData(obx);
    if (data.kind === 'attachment') {
      scope.mapping.addAttachment(data.attachment);
      return {
        text: null,
        ref: data.attachment.key,
        size: data.attachment.bytes.length,
        media_type: data.attachment.mediaType,
      };
    }
    if (data.kind === 'invalid') {
      scope.mapping.warn(
        'invalid-attachment',
        `${data.reason} in OBX-5 of ${obx.label}; ${settings.table} has no content for it`,
        obx,
        'OBX-5',
      );
    }
  }

  const lines: string[] = [];
  for (const obx of segments) {
    const type = cleanText(obx.get('2'));
    const text = type !== null && TEXT_TYPES.has(type) ? observationTextLines(obx) : null;
    if (text !== null) lines.push(text);
  }
  if (lines.length === 0) return { text: null, ref: null, size: null, media_type: null };

  const text = lines.join('\n');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= settings.maxInlineBytes) {
    return { text, ref: null, size: null, media_type: 'text/plain' };
  }
  const attachment = createAttachment(bytes, 'text/plain; charset=utf-8', 'text');
  scope.mapping.addAttachment(attachment);
  return { text: null, ref: attachment.key, size: bytes.length, media_type: attachment.mediaType };
}
