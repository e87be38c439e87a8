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
  // S3 request documents nest a few levels; anything deeper is not one of them.
  maxNestedTags: 64,
});

/**
 * The largest XML request body the emulator reads. S3's largest XML documents are a
 * CompleteMultipartUpload of 10,000 parts and a DeleteObjects of 1,000 keys of up to
 * 1,024 bytes each (about 1.2 MB), both well under this; a larger body is refused
 * before it is buffered or parsed, so one client cannot stall the others with a 60 MB
 * document.
 */
export const MAX_XML_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Parses a request body. Malformed XML is the caller's error, in S3's words.
 * Repeated elements come back as arrays, single ones as values: use `asArray`.
 * Whatever the parser refuses (nesting too deep, external or oversized entities,
 * element names like __proto__) is MalformedXML too, never an internal error.
 */
export function parseXml(body: Buffer | string): Record<string, unknown> {
  if (Buffer.byteLength(body) > MAX_XML_BODY_BYTES) throw xmlTooLarge();
  const text = body.toString();
  if (text.trim() === '') throw malformedXml();
  let parsed: unknown;
  try {
    if (XMLValidator.validate(text) !== true) throw malformedXml();
    parsed = parser.parse(text);
  } catch {
    throw malformedXml();
  }
  if (typeof parsed !== 'object' || parsed === null) throw malformedXml();
  return parsed as Record<string, unknown>;
}

/** S3's answer to a request body over its limit for an XML document. */
export function xmlTooLarge(): ServiceError {
  return new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', 400, { MaxMessageLengthBytes: String(MAX_XML_BODY_BYTES) });
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
