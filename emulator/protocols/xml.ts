import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { ServiceError } from '../core/service-error.ts';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
});

/** `{ root: value }` to an XML document with the declaration AWS sends. */
export function toXml(root: string, value: Record<string, unknown>): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [root]: value });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Keep every value a string: "0001" in a key name must stay "0001".
  parseTagValue: false,
  trimValues: true,
});

/**
 * Parses a request body. Malformed XML is the caller's error, in S3's words.
 * Repeated elements come back as arrays, single ones as values: use `asArray`.
 */
export function parseXml(body: Buffer | string): Record<string, unknown> {
  const text = body.toString();
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformedXml();
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw malformedXml();
  return parsed as Record<string, unknown>;
}

/** Normalises an element that may appear once or many times to an array. */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null || (value as unknown) === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function malformedXml(): ServiceError {
  return new ServiceError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}
