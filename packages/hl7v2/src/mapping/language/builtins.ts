import type { ColumnType } from '@carelake/core';

/** Requirements of a builtin on the rule that uses it, and the types of its parts. */
export interface BuiltinSpec {
  /** Column type of each part, written `builtin: name.part`; a builtin without parts has `''`. */
  parts: Readonly<Record<string, ColumnType>>;
  /** Segment id the rule's `each` must name, when the builtin reads the row segment. */
  each?: string;
  /** Segment id the rule's `following` must list, when the builtin reads those segments. */
  following?: string;
}

/**
 * The built-in values, for what plain paths cannot express. `record_hash` identifies a row for
 * deduplication. `observation_value` types OBX-5 by OBX-2. `document_content` joins the text of
 * the OBX segments after a TXA, or stores their ED data as an attachment.
 */
export const BUILTINS = {
  record_hash: { parts: { '': 'string' } },
  observation_value: {
    each: 'OBX',
    parts: {
      text: 'string',
      number: 'double',
      number_high: 'double',
      comparator: 'string',
      code: 'string',
      code_system: 'string',
      time: 'timestamp',
      ref: 'string',
      size: 'bigint',
      media_type: 'string',
    },
  },
  document_content: {
    following: 'OBX',
    parts: { text: 'string', ref: 'string', size: 'bigint', media_type: 'string' },
  },
} as const satisfies Record<string, BuiltinSpec>;

export type BuiltinName = keyof typeof BUILTINS;

export interface BuiltinRef {
  name: BuiltinName;
  /** `''` for a builtin without parts. */
  part: string;
  type: ColumnType;
}

/** Resolve `name` or `name.part` against the catalog; undefined when it names nothing there. */
export function resolveBuiltin(text: string): BuiltinRef | undefined {
  const [name = '', part = '', ...rest] = text.split('.');
  if (rest.length > 0 || !(name in BUILTINS)) return undefined;
  const spec: BuiltinSpec = BUILTINS[name as BuiltinName];
  const type = spec.parts[part];
  return type === undefined ? undefined : { name: name as BuiltinName, part, type };
}

/** List every valid `builtin:` value, for error messages. */
export function builtinChoices(): string[] {
  return Object.entries(BUILTINS).flatMap(([name, spec]) =>
    Object.keys(spec.parts).map((part) => (part === '' ? name : `${name}.${part}`)),
  );
}
