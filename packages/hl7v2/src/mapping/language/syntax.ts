import { Hl7PathError } from '../../errors';
import { parseHl7Path, type Hl7Location } from '../../path';

/**
 * Values of the message or the row that no HL7 path reaches, written `$name` wherever a path is
 * allowed.
 */
export const MESSAGE_VARIABLES = {
  message_id: 'MSH-10, or sha256-<message hash> when MSH-10 is empty',
  message_hash: 'hex SHA-256 of the message text, segments joined by CR',
  row_number: "1-based number of the row's segment among the rule's row segments in the message",
  trigger_event: 'MSH-9.2, else EVN-1',
  message_code: 'MSH-9.1, else unknown',
} as const;

export type MessageVariable = keyof typeof MESSAGE_VARIABLES;

/** A source of text: an HL7 path such as `PV1-19.1`, or a variable such as `$message_id`. */
export type SourceRef =
  | { kind: 'path'; text: string; location: Hl7Location }
  | { kind: 'variable'; text: string; name: MessageVariable };

/** One `{...}` of a template: alternatives read in order, and whether it may be empty. */
export interface TemplatePlaceholder {
  alternatives: SourceRef[];
  /** Written with a trailing `?`: the placeholder becomes empty text instead of making the template null. */
  optional: boolean;
}

export type TemplatePart = string | TemplatePlaceholder;

export type SyntaxResult<T> = { ok: true; value: T } | { ok: false; message: string };

const VARIABLE = /^\$([a-z_]+)$/;

/** Parse a path or `$variable` as written in a mapping file. */
export function parseSourceRef(text: string): SyntaxResult<SourceRef> {
  const trimmed = text.trim();
  const variable = VARIABLE.exec(trimmed);
  if (variable) {
    const name = variable[1] ?? '';
    if (name in MESSAGE_VARIABLES) {
      return {
        ok: true,
        value: { kind: 'variable', text: trimmed, name: name as MessageVariable },
      };
    }
    return {
      ok: false,
      message: `"${trimmed}" is not a known variable; use one of ${variableList()}`,
    };
  }
  try {
    return { ok: true, value: { kind: 'path', text: trimmed, location: parseHl7Path(trimmed) } };
  } catch (error) {
    if (!(error instanceof Hl7PathError)) throw error;
    return {
      ok: false,
      message:
        `"${trimmed}" is not an HL7 v2 path; write SEG-field[repetition].component.subcomponent ` +
        `with 1-based numbers, such as PV1-19.1 or PID-3[2].4.1, or a variable (${variableList()})`,
    };
  }
}

/**
 * Parse a template such as `hl7v2:{MSH-4?}:{PID-3.1}`. Each `{...}` contains one or more paths or
 * variables separated by `|`, read in order until one is not empty. `{{` and `}}` are literal
 * braces.
 */
export function parseTemplate(text: string): SyntaxResult<TemplatePart[]> {
  const parts: TemplatePart[] = [];
  let literal = '';
  let position = 0;
  while (position < text.length) {
    const character = text.charAt(position);
    const next = text.charAt(position + 1);
    if ((character === '{' && next === '{') || (character === '}' && next === '}')) {
      literal += character;
      position += 2;
      continue;
    }
    if (character === '}') {
      return {
        ok: false,
        message: `unmatched "}" at character ${position + 1}; write "}}" for a literal brace`,
      };
    }
    if (character !== '{') {
      literal += character;
      position += 1;
      continue;
    }

    const end = text.indexOf('}', position + 1);
    if (end < 0) {
      return {
        ok: false,
        message: `"{" at character ${position + 1} is not closed; write "{{" for a literal brace`,
      };
    }
    const placeholder = parsePlaceholder(text.slice(position + 1, end));
    if (!placeholder.ok) return placeholder;
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(placeholder.value);
    position = end + 1;
  }
  if (literal !== '') parts.push(literal);
  if (!parts.some((part) => typeof part !== 'string')) {
    return {
      ok: false,
      message: 'a template needs at least one {placeholder}; use value for a constant',
    };
  }
  return { ok: true, value: parts };
}

/** List every path and variable a template reads. */
export function templateRefs(parts: readonly TemplatePart[]): SourceRef[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [] : part.alternatives));
}

function parsePlaceholder(body: string): SyntaxResult<TemplatePlaceholder> {
  const trimmed = body.trim();
  const optional = trimmed.endsWith('?');
  const list = optional ? trimmed.slice(0, -1) : trimmed;
  if (list.trim() === '') return { ok: false, message: 'a template has an empty {}' };

  const alternatives: SourceRef[] = [];
  for (const text of list.split('|')) {
    const ref = parseSourceRef(text);
    if (!ref.ok) return ref;
    alternatives.push(ref.value);
  }
  return { ok: true, value: { alternatives, optional } };
}

function variableList(): string {
  return Object.keys(MESSAGE_VARIABLES)
    .map((name) => `$${name}`)
    .join(', ');
}
