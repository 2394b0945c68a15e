import { describeJsonType } from '../resource-check';
import type { R4Definitions, TypeDefinition } from './definitions';
import { FhirDefinitionError } from './errors';
import { compileFhirRegex } from './fhir-regex';

/** The JSON type of one FHIR primitive type, and the regex and range its value must match. */
export interface PrimitiveRule {
  type: string;
  jsonType: 'string' | 'number' | 'boolean';
  /** The R4 regex, anchored; for numbers and booleans it is matched against `String(value)`. */
  regex: RegExp | undefined;
  /** True for `integer` and the types derived from it, which R4 limits to 32 bits. */
  is32BitInteger: boolean;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Descriptions of valid values by type, for the reason of a value that fails the regex. */
const EXPECTED_FORMATS: Record<string, string> = {
  boolean: 'true or false',
  integer: 'a whole number',
  positiveInt: 'a whole number of 1 or more',
  unsignedInt: 'a whole number of 0 or more',
  decimal: 'a decimal number',
  id: '1 to 64 letters, digits, "-" or "."',
  code: 'text without leading, trailing or repeated whitespace',
  uri: 'a URI without whitespace',
  url: 'a URL without whitespace',
  canonical: 'a canonical URL without whitespace',
  oid: 'urn:oid: followed by a dotted number such as 2.16.840',
  uuid: 'urn:uuid: followed by a lower-case UUID',
  date: 'YYYY, YYYY-MM or YYYY-MM-DD',
  dateTime: 'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with Z or a +hh:mm offset',
  instant: 'YYYY-MM-DDThh:mm:ss with Z or a +hh:mm offset',
  time: 'hh:mm:ss',
  base64Binary: 'base64 text',
  string: 'text without vertical tab or form feed characters',
  markdown: 'text without vertical tab or form feed characters',
};

/** Compiles the rule of every concrete R4 primitive type. */
export function compilePrimitiveRules(definitions: R4Definitions): Map<string, PrimitiveRule> {
  const rules = new Map<string, PrimitiveRule>();
  for (const definition of definitions.values()) {
    if (definition.kind !== 'primitive-type') continue;
    const jsonType = jsonTypeOf(definition, definitions);
    rules.set(definition.name, {
      type: definition.name,
      jsonType,
      regex: definition.regex === undefined ? undefined : compileFhirRegex(definition.regex),
      is32BitInteger: jsonType === 'number' && derivesFrom(definition, 'integer', definitions),
    });
  }
  return rules;
}

/**
 * Returns why a value is not a valid primitive of the rule's type, or undefined
 * when it is valid. The reason never contains the value.
 */
export function primitiveProblem(rule: PrimitiveRule, value: unknown): string | undefined {
  if (typeof value !== rule.jsonType) {
    return `a FHIR ${rule.type} must be a JSON ${rule.jsonType}, found ${describeJsonType(value)}`;
  }
  if (value === '') {
    return 'FHIR JSON does not allow empty strings. Leave the element out instead';
  }
  if (rule.is32BitInteger && ((value as number) < INT32_MIN || (value as number) > INT32_MAX)) {
    return `a FHIR ${rule.type} must be between ${INT32_MIN} and ${INT32_MAX}`;
  }
  if (rule.regex && !rule.regex.test(typeof value === 'string' ? value : String(value))) {
    const expected = EXPECTED_FORMATS[rule.type] ?? `a match of the R4 regex of ${rule.type}`;
    return `not a valid FHIR ${rule.type}: expected ${expected}`;
  }
  return undefined;
}

/**
 * Returns the JSON type of a primitive. Boolean, integer, decimal and the types
 * derived from them are JSON booleans and numbers, and the rest are strings.
 */
function jsonTypeOf(
  definition: TypeDefinition,
  definitions: R4Definitions,
): PrimitiveRule['jsonType'] {
  if (derivesFrom(definition, 'boolean', definitions)) return 'boolean';
  if (derivesFrom(definition, 'integer', definitions)) return 'number';
  if (derivesFrom(definition, 'decimal', definitions)) return 'number';
  return 'string';
}

function derivesFrom(
  definition: TypeDefinition,
  ancestor: string,
  definitions: R4Definitions,
): boolean {
  const seen = new Set<string>();
  for (let current: TypeDefinition | undefined = definition; current;) {
    if (current.name === ancestor) return true;
    if (seen.has(current.name)) {
      throw new FhirDefinitionError(`the R4 type ${current.name} derives from itself`);
    }
    seen.add(current.name);
    current = current.baseType === undefined ? undefined : definitions.get(current.baseType);
  }
  return false;
}
