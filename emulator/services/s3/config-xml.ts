import { malformedXml, parseXml } from '../../protocols/xml.ts';

/**
 * Reading S3 configuration documents (website, CORS, tagging, public access block).
 * fast-xml-parser gives strings, nested objects, and arrays for repeated elements;
 * these helpers turn anything that does not fit S3's schema into MalformedXML, as S3 does.
 */
export type XmlElement = Record<string, unknown>;

/** The document's root element, which must be `root`. */
export function configRoot(body: Buffer, root: string): XmlElement {
  const document = parseXml(body);
  const element = document[root];
  if (element === '') return {};
  if (!isElement(element)) throw malformedXml();
  return element;
}

/** A child that holds other elements; undefined when absent. */
export function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  const value = parent[name];
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (!isElement(value)) throw malformedXml();
  return value;
}

/** A child that holds text; undefined when absent. Repeating a single-valued element is a schema error. */
export function childText(parent: XmlElement, name: string): string | undefined {
  const value = parent[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformedXml();
  return value;
}

/** Every occurrence of a repeated element that holds other elements. */
export function childElements(parent: XmlElement, name: string): XmlElement[] {
  const value = parent[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (item === '') return {};
    if (!isElement(item)) throw malformedXml();
    return item;
  });
}

/** Every occurrence of a repeated text element. */
export function childTexts(parent: XmlElement, name: string): string[] {
  const value = parent[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw malformedXml();
    return item;
  });
}

/** Elements outside the schema are refused, as S3's schema validation does. */
export function onlyChildren(element: XmlElement, allowed: string[]): void {
  for (const name of Object.keys(element)) if (!allowed.includes(name)) throw malformedXml();
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
