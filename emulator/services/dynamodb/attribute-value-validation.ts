import { ServiceError } from '../../core/service-error.ts';

/**
 * Checks the shape of every AttributeValue and Tag in a DynamoDB request before
 * dynalite sees it. dynalite trusts that an attribute value is an object and recurses
 * into M and L without a limit: `"v": null` made it throw a TypeError, an item nested
 * 1,000 levels deep overflowed the stack, both answered 500. AWS answers them with a
 * ValidationException: attribute values nest at most 32 levels ("Nested attribute
 * depth", DynamoDB Developer Guide, Service quotas), and an empty or null value "must
 * contain exactly one of the supported datatypes".
 */
export const MAX_NESTING_LEVELS = 32;

type Json = Record<string, unknown>;

/** AWS: "The maximum length of any expression string is 4 KB" (DynamoDB Developer Guide, Service quotas). */
export const MAX_EXPRESSION_BYTES = 4096;
/**
 * dynalite's expression parser backtracks exponentially in the depth of nested
 * parentheses (8 levels take a tenth of a second, 12 about a second, 14 several, 30 would hold the emulator
 * for hours: one request stalls every client). AWS documents no such limit; real
 * expressions rarely nest more than a few levels, so deeper ones are refused, saying
 * it is the emulator's limit.
 */
export const MAX_EXPRESSION_NESTING = 6;

/** Members whose value is a map of attribute name -> AttributeValue. */
const VALUE_MAPS = new Set(['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues']);
/** Members whose value is a list of such maps (BatchGetItem's Keys). */
const VALUE_MAP_LISTS = new Set(['Keys']);
/** Members whose value is a list of AttributeValues (legacy conditions). */
const VALUE_LISTS = new Set(['AttributeValueList']);
/** Members whose value is one AttributeValue (legacy Expected and AttributeUpdates). */
const SINGLE_VALUES = new Set(['Value']);

const TYPES: Record<string, (value: unknown) => boolean> = {
  S: (v) => typeof v === 'string',
  N: (v) => typeof v === 'string',
  B: (v) => typeof v === 'string',
  BOOL: (v) => typeof v === 'boolean',
  NULL: (v) => typeof v === 'boolean',
  SS: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
  NS: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
  BS: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
  M: (v) => isObject(v),
  L: (v) => Array.isArray(v),
};

export function validateAttributeValues(request: Json): void {
  walkRequest(request, 0);
  if ('Tags' in request) validateTags(request.Tags);
}

/** The request's own structure is a few levels deep; attribute values are checked where they start. */
function walkRequest(node: unknown, depth: number): void {
  if (depth > 8 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const element of node) walkRequest(element, depth + 1);
    return;
  }
  for (const [name, value] of Object.entries(node)) {
    // A tag's Value is a string, not an AttributeValue: tags are checked on their own.
    if (name === 'Tags') continue;
    if (name.endsWith('Expression') && typeof value === 'string') checkExpression(name, value);
    else if (VALUE_MAPS.has(name)) checkValueMap(value, name);
    else if (VALUE_MAP_LISTS.has(name) && Array.isArray(value)) value.forEach((map, index) => checkValueMap(map, `${name}.${index + 1}`));
    else if (VALUE_LISTS.has(name) && Array.isArray(value)) value.forEach((av, index) => checkValue(av, `${name}.${index + 1}`));
    else if (SINGLE_VALUES.has(name) && value !== undefined) checkValue(value, name);
    else walkRequest(value, depth + 1);
  }
}

function checkValueMap(map: unknown, where: string): void {
  // null and wrong-typed members are dynalite's to refuse, with AWS's messages.
  if (!isObject(map)) return;
  for (const [name, value] of Object.entries(map)) checkValue(value, `${where}.${name}`);
}

/** Iterative, so no depth a client sends can overflow the stack. */
function checkValue(root: unknown, where: string): void {
  const pending: Array<{ value: unknown; level: number; where: string }> = [{ value: root, level: 1, where }];
  while (pending.length > 0) {
    const { value, level, where: at } = pending.pop()!;
    if (level > MAX_NESTING_LEVELS) throw validation('Nesting Levels have exceeded supported limits');
    if (!isObject(value) || Object.keys(value).length === 0) {
      throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (at ${at})`);
    }
    const types = Object.keys(value).filter((type) => value[type] !== undefined && value[type] !== null);
    if (types.length !== 1) {
      throw validation(`Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (at ${at})`);
    }
    const type = types[0]!;
    const check = TYPES[type];
    if (!check) throw validation(`Supplied AttributeValue has an unknown datatype ${type}, must contain exactly one of the supported datatypes (at ${at})`);
    if (!check(value[type])) {
      // What AWS's deserializer answers for a member of the wrong JSON type.
      throw new ServiceError('SerializationException', `The ${type} member of the AttributeValue at ${at} has the wrong JSON type.`, 400);
    }
    if (type === 'M') for (const [name, member] of Object.entries(value.M as Json)) pending.push({ value: member, level: level + 1, where: `${at}.${name}` });
    if (type === 'L') (value.L as unknown[]).forEach((member, index) => pending.push({ value: member, level: level + 1, where: `${at}.${index + 1}` }));
  }
}

function checkExpression(name: string, expression: string): void {
  if (Buffer.byteLength(expression) > MAX_EXPRESSION_BYTES) {
    throw validation(`Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${Buffer.byteLength(expression)}`);
  }
  let depth = 0;
  let deepest = 0;
  for (const character of expression) {
    if (character === '(') deepest = Math.max(deepest, (depth += 1));
    else if (character === ')') depth -= 1;
  }
  if (deepest > MAX_EXPRESSION_NESTING) {
    throw validation(`Invalid ${name}: parentheses nested ${deepest} deep; the embedded emulator's expression parser takes at most ${MAX_EXPRESSION_NESTING} levels`);
  }
}

/** Tags (CreateTable, TagResource): a list of {Key, Value} strings, as AWS's model says. */
function validateTags(tags: unknown): void {
  if (tags === undefined) return;
  if (!Array.isArray(tags)) throw new ServiceError('SerializationException', 'Tags must be a list of {"Key", "Value"} objects.', 400);
  tags.forEach((tag: unknown, index) => {
    const member = `tags.${index + 1}.member`;
    if (!isObject(tag)) throw new ServiceError('SerializationException', `Tags must be a list of {"Key", "Value"} objects (at ${member}).`, 400);
    for (const field of ['Key', 'Value'] as const) {
      const value = tag[field];
      if (value === undefined || value === null) {
        throw validation(`1 validation error detected: Value null at '${member}.${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
      }
      if (typeof value !== 'string') throw new ServiceError('SerializationException', `The ${field} of ${member} must be a string.`, 400);
    }
  });
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
