/**
 * SigV4's URI encoding: every byte except the unreserved characters
 * (A-Z a-z 0-9 - . _ ~) becomes %XY with upper-case hex. This is stricter than
 * encodeURIComponent, which leaves ! ' ( ) * alone.
 */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Percent-decoding that never throws: a client may send a stray `%` or a broken
 * UTF-8 sequence, and the canonical form must still be computable (the signature
 * then simply does not match). `+` stays a literal plus: SigV4 clients encode
 * spaces as %20, and AWS signs `+` as %2B.
 */
export function uriDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (match, hex: string) => {
      const code = parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : match;
    });
  }
}
