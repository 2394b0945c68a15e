import type { ElementType, FhirModel } from '../fhir-model';

/**
 * Static type of an expression: the FHIR types its items may have. An empty list means
 * unknown, as after an element of an abstract `Resource`.
 */
export interface StaticType {
  readonly types: readonly ElementType[];
}

export const UNKNOWN_TYPE: StaticType = { types: [] };

export function staticType(code: string, ref: string = code): StaticType {
  return { types: [{ code, ref }] };
}

export const BOOLEAN_TYPE = staticType('boolean');
export const STRING_TYPE = staticType('string');
export const INTEGER_TYPE = staticType('integer');
export const DECIMAL_TYPE = staticType('decimal');

/** Return the one FHIR type name of a static type, or undefined when there are none or several. */
export function singleTypeCode(type: StaticType): string | undefined {
  const codes = new Set(type.types.map((candidate) => candidate.code));
  return codes.size === 1 ? (type.types[0] as ElementType).code : undefined;
}

export function unionTypes(left: StaticType, right: StaticType): StaticType {
  if (left.types.length === 0 || right.types.length === 0) return UNKNOWN_TYPE;
  const types = [...left.types];
  for (const type of right.types) {
    if (!types.some((known) => known.ref === type.ref)) types.push(type);
  }
  return { types };
}

const TEMPORAL_TYPES = new Set(['date', 'dateTime', 'instant', 'time']);
const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt', 'integer64']);
const STRING_TYPES = new Set([
  'string',
  'code',
  'id',
  'markdown',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'base64Binary',
  'xhtml',
]);

export function isTemporalType(type: StaticType): boolean {
  return type.types.some((candidate) => TEMPORAL_TYPES.has(candidate.code));
}

export function isIntegerTypeCode(code: string): boolean {
  return INTEGER_TYPES.has(code);
}

/** True when every possible type is known and none is `boolean`, so a filter can never be true or false. */
export function isNeverBoolean(type: StaticType): boolean {
  return type.types.length > 0 && type.types.every((candidate) => candidate.code !== 'boolean');
}

/**
 * FHIRPath System type names and the FHIR types they cover, for `ofType(String)`,
 * `is System.Integer` and the like.
 */
const SYSTEM_TYPES: Record<string, readonly string[]> = {
  String: [...STRING_TYPES],
  Integer: [...INTEGER_TYPES],
  Decimal: ['decimal'],
  Boolean: ['boolean'],
  Date: ['date'],
  DateTime: ['dateTime', 'instant'],
  Time: ['time'],
  Quantity: ['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity'],
};

/** FHIR types that specialize another, so that `ofType(Quantity)` also keeps an `Age`. */
const SPECIALIZATIONS: Record<string, readonly string[]> = {
  string: ['code', 'id', 'markdown'],
  uri: ['url', 'canonical', 'oid', 'uuid'],
  integer: ['positiveInt', 'unsignedInt'],
  Quantity: ['Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity'],
};

/** The type a type specifier such as `Quantity`, `FHIR.string` or `System.String` names. */
export interface TypeSpecifier {
  /** The name as written, without the namespace. */
  name: string;
  /** The FHIR type codes an item may have to match. */
  codes: readonly string[];
  /** True when the name is a resource type or `Resource`/`DomainResource`. */
  resource: boolean;
}

/** Resolve a type specifier, or return undefined when the model has no such type. */
export function resolveTypeSpecifier(model: FhirModel, written: string): TypeSpecifier | undefined {
  const [namespace, bare] = written.includes('.') ? written.split('.', 2) : [undefined, written];
  const name = bare as string;
  if (
    namespace === 'System' ||
    (namespace === undefined && SYSTEM_TYPES[name] && !model.isType(name))
  ) {
    const codes = SYSTEM_TYPES[name];
    return codes ? { name, codes, resource: false } : undefined;
  }
  if (namespace !== undefined && namespace !== 'FHIR') return undefined;
  if (name === 'Resource' || name === 'DomainResource')
    return { name, codes: [name], resource: true };
  if (!model.isType(name)) return undefined;
  return {
    name,
    codes: [name, ...(SPECIALIZATIONS[name] ?? [])],
    resource: model.isResourceType(name),
  };
}

/** True when a value of FHIR type `code` matches the specifier. */
export function typeMatches(code: string, specifier: TypeSpecifier): boolean {
  return specifier.codes.includes(code);
}

/** Upper-case the first letter, as in the JSON key of a choice element (`value` + `dateTime` = `valueDateTime`). */
export function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
