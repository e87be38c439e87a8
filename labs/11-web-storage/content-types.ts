import { extname } from 'node:path';

/**
 * The Content-Type for a file name, from its extension, as `aws s3 sync` guesses it.
 * S3 itself guesses nothing: it serves back exactly the content type the upload sent,
 * and a browser that gets a stylesheet as application/octet-stream ignores it (and
 * downloads an HTML page instead of showing it).
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  // RFC 9239: text/javascript is the one JavaScript media type (application/javascript is obsolete).
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
};

/** What to send for a file we cannot name: bytes, no more (what S3 and the SDK assume too). */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
