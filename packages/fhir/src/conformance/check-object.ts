import { describeJsonType } from '../resource-check';
import { isJsonObject, type JsonObject } from '../types';
import type { CheckWalk } from './check-walk';
import type { MemberRule, ObjectShape, RequiredRule } from './object-shape';

/**
 * Nesting of JSON objects below the checked resource beyond which the checker
 * stops descending. It keeps a hostile document from overflowing the call
 * stack. Real resources, extensions and questionnaire items nest far less.
 */
export const MAX_NESTING_DEPTH = 128;

/** Finds the compiled shape of a concrete resource type, or undefined for any other name. */
export type ResourceShapeLookup = (resourceType: string) => ObjectShape | undefined;

/** Checks a value that must be an object of the shape. */
export function checkObjectValue(shape: ObjectShape, value: unknown, walk: CheckWalk): void {
  if (!isJsonObject(value)) {
    walk.report(
      'invalid-structure',
      `expected a JSON object (${shape.name}), found ${describeJsonType(value)}`,
    );
    return;
  }
  checkObject(shape, value, walk);
}

/** Checks a value that must be a resource of any concrete type, such as a contained resource. */
export function checkResourceValue(
  value: unknown,
  walk: CheckWalk,
  lookup: ResourceShapeLookup,
): void {
  if (!isJsonObject(value)) {
    walk.report(
      'invalid-structure',
      `a resource must be a JSON object, found ${describeJsonType(value)}`,
    );
    return;
  }
  const resourceType = value['resourceType'];
  if (typeof resourceType !== 'string' || resourceType === '') {
    walk.report('missing-resource-type', 'the resource has no resourceType string');
    return;
  }
  const shape = lookup(resourceType);
  if (!shape) {
    walk.report(
      'unknown-resource-type',
      'resourceType is not a concrete FHIR R4 resource type, so the resource is not checked further',
    );
    return;
  }
  checkObject(shape, value, walk);
}

/** Checks every member of an object, then the required elements of its shape. */
function checkObject(shape: ObjectShape, object: JsonObject, walk: CheckWalk): void {
  if (walk.depth >= MAX_NESTING_DEPTH) {
    walk.report(
      'nesting-too-deep',
      `objects nest more than ${MAX_NESTING_DEPTH} levels deep, so the elements below are not checked`,
    );
    return;
  }
  walk.depth++;

  let memberCount = 0;
  // The first member name seen of each choice element, allocated only for objects that use a choice.
  let choicesSeen: Array<string | undefined> | undefined;
  // for...in rather than Object.keys, to allocate nothing per object. JSON.parse
  // creates only own properties, and Object.prototype has no enumerable ones.
  for (const name in object) {
    const value = object[name];
    // JSON has no undefined, but an object built in code may. Like JSON.stringify, treat it as absent.
    if (value === undefined) continue;
    memberCount++;
    const member = shape.members.get(name);
    if (member === undefined) {
      if (!(shape.isResource && name === 'resourceType')) reportUnknownMember(shape, name, walk);
      continue;
    }

    walk.enterMember(name);
    if (member.choiceIndex >= 0) {
      choicesSeen ??= new Array<string | undefined>(shape.choices.length);
      const choiceName = name.startsWith('_') ? name.slice(1) : name;
      const firstSeen = choicesSeen[member.choiceIndex];
      if (firstSeen === undefined) choicesSeen[member.choiceIndex] = choiceName;
      else if (firstSeen !== choiceName) reportChoiceConflict(member, walk);
    }
    checkMember(member, value, object, walk);
    walk.leave();
  }

  if (memberCount === 0) {
    walk.report(
      'invalid-structure',
      'FHIR JSON does not allow empty objects. Leave the element out instead',
    );
  }
  for (const rule of shape.required) checkRequired(rule, object, walk);
  walk.depth--;
}

function checkMember(
  member: MemberRule,
  value: unknown,
  parent: JsonObject,
  walk: CheckWalk,
): void {
  if (value === null) {
    walk.report(
      'invalid-structure',
      'FHIR JSON does not allow null here. Leave the element out instead',
    );
    return;
  }
  if (!Array.isArray(value)) {
    if (member.max > 1) {
      walk.report('not-an-array', `${member.elementPath} repeats, so it must be a JSON array`);
    }
    member.checkValue(value, walk);
    return;
  }

  if (member.max === 1) {
    walk.report(
      'too-many',
      `${member.elementPath} has at most 1 value, so it must not be an array`,
    );
    return;
  }
  if (value.length === 0) {
    walk.report(
      'invalid-structure',
      'FHIR JSON does not allow empty arrays. Leave the element out instead',
    );
    return;
  }
  if (value.length > member.max) {
    walk.report('too-many', `${member.elementPath} has at most ${member.max} values`);
  }
  const companion = member.companion === undefined ? undefined : parent[member.companion];
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    walk.enterIndex(index);
    if (item !== null) {
      member.checkValue(item, walk);
    } else if (!Array.isArray(companion) || companion[index] == null) {
      walk.report(
        'invalid-structure',
        member.companion === undefined
          ? 'FHIR JSON does not allow null array items here'
          : `a null item is allowed only where ${member.companion} has an item at the same index`,
      );
    }
    walk.leave();
  }
}

function checkRequired(rule: RequiredRule, object: JsonObject, walk: CheckWalk): void {
  let count = 0;
  for (const name of rule.memberNames) {
    const value = object[name];
    if (value === undefined) continue;
    count = Math.max(count, Array.isArray(value) ? value.length : 1);
  }
  if (count >= rule.min) return;

  walk.enterMember(rule.name);
  walk.report(
    'required-missing',
    rule.min === 1
      ? `${rule.elementPath} is required`
      : `${rule.elementPath} needs at least ${rule.min} values`,
  );
  walk.leave();
}

function reportChoiceConflict(member: MemberRule, walk: CheckWalk): void {
  walk.report(
    'choice-conflict',
    `${member.elementPath} is a choice element, so only one of its types may be present`,
  );
}

function reportUnknownMember(shape: ObjectShape, name: string, walk: CheckWalk): void {
  walk.enterMember(name);
  const elementName = name.startsWith('_') ? name.slice(1) : name;
  const choice = shape.choices.find(
    (candidate) =>
      elementName.length > candidate.name.length &&
      elementName.startsWith(candidate.name) &&
      isUpperCaseLetter(elementName.charCodeAt(candidate.name.length)),
  );

  if (name.startsWith('_') && shape.members.has(elementName)) {
    walk.report(
      'unknown-element',
      `${shape.name}.${elementName} is not a primitive element, so it has no "_" extension member`,
    );
  } else if (choice) {
    walk.report(
      'choice-type-not-allowed',
      `${shape.name}.${choice.name}[x] allows only the types ${choice.typeCodes.join(', ')}`,
    );
  } else {
    walk.report('unknown-element', `${shape.name} has no element with this name`);
  }
  walk.leave();
}

function isUpperCaseLetter(charCode: number): boolean {
  return charCode >= 65 && charCode <= 90;
}
