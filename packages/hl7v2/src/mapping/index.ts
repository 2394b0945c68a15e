export { attachmentKey, HL7_ATTACHMENT_PREFIX, type Hl7Attachment } from './attachments';
export {
  compileHl7Mappings,
  parseHl7MappingFile,
  type CompileHl7MappingsOptions,
  type Hl7MappingSource,
} from './compile/compile-mappings';
export { parseHl7Number } from './compile/convert';
export { Hl7MappingSet } from './compile/mapping-set';
export {
  ControlIdRegistry,
  type ControlIdCheck,
  type ControlIdKey,
  type MessageSighting,
} from './control-id-registry';
export { BUILTINS, type BuiltinName } from './language/builtins';
export type { MappingFile as Hl7MappingFile } from './language/schema';
export { MESSAGE_VARIABLES, type MessageVariable } from './language/syntax';
export { mapHl7Message, type Hl7MappedRows } from './map-message';
export { type Hl7MappingContext } from './mapping-context';
export type { ClinicalLineage, RawHl7SegmentRow } from './rows';
export { isIanaTimeZone, SenderTimeZone } from './sender-time-zone';
export type { Hl7MappingIssueCode, Hl7MappingWarning } from './warnings';
