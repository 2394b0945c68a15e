import type { RowValue } from '@carelake/core';
import type { BuiltinName, BuiltinRef } from '../language/builtins';
import type { MappingFile } from '../language/schema';
import type { BuiltinValues, RowScope } from '../compile/row-scope';
import { timestampConverter } from '../compile/timestamps';
import type { SenderTimeZone } from '../sender-time-zone';
import { readDocumentContent } from './document-content';
import { readObservationValue, type BuiltinSettings } from './observation-value';

/**
 * Compile a `builtin:` column. The parts of one builtin are computed together once per row and
 * kept in the row scope, so that `observation_value.number` and `observation_value.text` read
 * the same result and an attachment is produced once.
 */
export function compileBuiltin(
  ref: BuiltinRef,
  file: MappingFile,
  senderTimeZone: SenderTimeZone | undefined,
): (scope: RowScope) => RowValue {
  const compute = computeFor(ref.name, file, {
    table: file.table,
    maxInlineBytes: file.maxInlineBytes,
    convertTimestamp: timestampConverter(senderTimeZone),
    flagsMissingOffset: senderTimeZone === undefined,
  });
  const { name, part } = ref;
  return (scope) => {
    let values = scope.builtins.get(name);
    if (values === undefined) {
      values = compute(scope);
      scope.builtins.set(name, values);
    }
    return values[part] ?? null;
  };
}

function computeFor(
  name: BuiltinName,
  file: MappingFile,
  settings: BuiltinSettings,
): (scope: RowScope) => BuiltinValues {
  switch (name) {
    case 'record_hash':
      // The table and the row segment's place identify the row within its message.
      return (scope) => ({ '': scope.mapping.rowHash(settings.table, scope.segment.index) });
    case 'observation_value':
      return (scope) => readObservationValue(scope, settings);
    case 'document_content': {
      const obxSlot = file.following.indexOf('OBX');
      return (scope) => readDocumentContent(scope, settings, obxSlot);
    }
  }
}
