import { validateHeaderName, validateHeaderValue } from 'node:http';

/**
 * Whether Node will send this header as given. A response header is built from what a
 * client or a seed supplied (metadata, response-* overrides); one Node refuses (CR, LF,
 * other control characters) would make every GET of that object fail, so such values
 * are refused where they come in, with a 4xx, instead.
 */
export function isSendableHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
