import { Hl7PathError } from './errors';

/**
 * A place inside one segment. Numbers are 1-based as in the standard. An omitted repetition,
 * component or subcomponent means "the whole" for `getEncoded` and "the first" for `get`.
 */
export interface Hl7FieldLocation {
  field: number;
  repetition: number | undefined;
  component: number | undefined;
  subcomponent: number | undefined;
}

/** A place inside a message: a segment id, its 1-based occurrence, and a field location. */
export interface Hl7Location extends Hl7FieldLocation {
  segmentId: string;
  occurrence: number;
}

const NUMBER = '([1-9][0-9]*)';
const FIELD_PART = `${NUMBER}(?:\\[${NUMBER}\\])?(?:\\.${NUMBER}(?:\\.${NUMBER})?)?`;
const FIELD_PATH = new RegExp(`^${FIELD_PART}$`);
const MESSAGE_PATH = new RegExp(
  `^([A-Z][A-Z0-9]{2})(?:\\[${NUMBER}\\]|\\(${NUMBER}\\))?-${FIELD_PART}$`,
);

const NOTATION_HINT =
  'Write SEG[occurrence]-field[repetition].component.subcomponent with 1-based numbers, ' +
  'such as PID-5.1, PID-3[2].1 or OBX[2]-5; only the segment id and field are required.';

/** Parse a message path such as `PID-5.1`, `PID-3[2].4.1` or `OBX[2]-5` (`OBX(2)-5` also works). */
export function parseHl7Path(path: string): Hl7Location {
  const match = MESSAGE_PATH.exec(path);
  if (!match) {
    throw new Hl7PathError(`"${path}" is not an HL7 v2 field path`, { hint: NOTATION_HINT });
  }
  const [
    ,
    segmentId = '',
    bracketOccurrence,
    parenthesisOccurrence,
    field,
    repetition,
    component,
    subcomponent,
  ] = match;
  return {
    segmentId,
    occurrence: toNumber(bracketOccurrence ?? parenthesisOccurrence) ?? 1,
    field: toNumber(field) ?? 1,
    repetition: toNumber(repetition),
    component: toNumber(component),
    subcomponent: toNumber(subcomponent),
  };
}

/**
 * Parsed paths by their text, for the read methods: callers read the same few paths from every
 * message, and matching the path notation costs more than reading a value. The cache is cleared
 * when full, so arbitrary paths cannot grow it without bound.
 */
const cachedLocations = new Map<string, Readonly<Hl7Location>>();
const cachedFieldLocations = new Map<string, Readonly<Hl7FieldLocation>>();
const MAX_CACHED_PATHS = 1024;

/** `parseHl7Path` through the cache. The location is shared between callers, so it is read-only. */
export function parseCachedHl7Path(path: string): Readonly<Hl7Location> {
  return cachedParse(cachedLocations, path, parseHl7Path);
}

/** `parseHl7FieldPath` through the cache. The location is shared between callers, so it is read-only. */
export function parseCachedHl7FieldPath(path: string): Readonly<Hl7FieldLocation> {
  return cachedParse(cachedFieldLocations, path, parseHl7FieldPath);
}

function cachedParse<T>(cache: Map<string, T>, path: string, parse: (path: string) => T): T {
  let location = cache.get(path);
  if (location === undefined) {
    // A path that does not parse throws here and is never cached.
    location = parse(path);
    if (cache.size >= MAX_CACHED_PATHS) cache.clear();
    cache.set(path, location);
  }
  return location;
}

/** Parse the part of a path after the segment id, such as `5.1` or `3[2].4`. */
export function parseHl7FieldPath(path: string): Hl7FieldLocation {
  const match = FIELD_PATH.exec(path);
  if (!match) {
    throw new Hl7PathError(`"${path}" is not an HL7 v2 field path within a segment`, {
      hint: 'Write field[repetition].component.subcomponent with 1-based numbers, such as 5.1 or 3[2].4.',
    });
  }
  const [, field, repetition, component, subcomponent] = match;
  return {
    field: toNumber(field) ?? 1,
    repetition: toNumber(repetition),
    component: toNumber(component),
    subcomponent: toNumber(subcomponent),
  };
}

/** Name a field the way positions do, such as `PID-3`. */
export function formatFieldName(segmentId: string, field: number): string {
  return `${segmentId}-${field}`;
}

/** Format a segment for positions: `PID` for the first occurrence, `OBX[3]` for later ones. */
export function formatSegmentLabel(segmentId: string, occurrence: number): string {
  return occurrence === 1 ? segmentId : `${segmentId}[${occurrence}]`;
}

function toNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}
