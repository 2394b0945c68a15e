import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** Edits (letters added, removed or changed) within which a known key is suggested for an unknown one. */
const MAX_SUGGESTION_DISTANCE = 3;

/** The parts of a Zod 4 schema definition that lead to nested object shapes. */
interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/**
 * Returns the keys a schema allows in the object at `path`: those of every object shape allowed
 * there, so for a union the keys of all its options. Empty when the path leads to no object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const object of objectsAt(schema, path, 0)) {
    for (const key of Object.keys(definitionOf(object).shape ?? {})) keys.add(key);
  }
  return [...keys].sort();
}

function objectsAt(schema: z.ZodType, path: readonly PropertyKey[], depth: number): z.ZodType[] {
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return definition.innerType ? objectsAt(definition.innerType, path, depth) : [];
    case 'pipe':
      return definition.in ? objectsAt(definition.in, path, depth) : [];
    case 'lazy':
      return definition.getter ? objectsAt(definition.getter(), path, depth) : [];
    case 'union':
      return (definition.options ?? []).flatMap((option) => objectsAt(option, path, depth));
  }
  if (depth === path.length) return definition.type === 'object' ? [schema] : [];

  const part = path[depth];
  if (definition.type === 'object' && typeof part === 'string') {
    const child = definition.shape?.[part];
    return child ? objectsAt(child, path, depth + 1) : [];
  }
  if (definition.type === 'array' && typeof part === 'number' && definition.element) return objectsAt(definition.element, path, depth + 1);
  if (definition.type === 'record' && definition.valueType) return objectsAt(definition.valueType, path, depth + 1);
  return [];
}

/** Returns the known key nearest to an unknown one, when a few edits turn one into the other. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const nearest = closest(unknown, [...known]);
  return distance(unknown, nearest) <= Math.min(MAX_SUGGESTION_DISTANCE, Math.ceil(unknown.length / 2)) ? nearest : undefined;
}
