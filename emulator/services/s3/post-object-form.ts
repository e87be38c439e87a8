import busboy from 'busboy';
import { ServiceError } from '../../core/service-error.ts';

/**
 * The multipart/form-data body of an S3 POST Object (a browser's HTML form upload):
 * the fields before the file, and the file. S3 ignores fields after the file ("The file
 * or content must be the last field in the form", POST Object, S3 API Reference), so
 * they are not collected.
 */
export interface PostForm {
  /** Field names lower-cased (S3 matches them case-insensitively), in the order sent; the file's excluded. */
  fields: Map<string, string>;
  file?: { filename: string; contentType: string; data: Buffer };
}

export function isMultipartForm(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*;/i.test(contentType ?? '');
}

/** Parses the already-read body; a malformed form is S3's 400 MalformedPOSTRequest. */
export function parsePostForm(contentType: string, body: Buffer): Promise<PostForm> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let file: PostForm['file'];
    let fileSeen = false;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { files: 1 } });
    } catch (error) {
      reject(malformed(error instanceof Error ? error.message : String(error)));
      return;
    }
    parser.on('field', (name, value) => {
      const lower = name.toLowerCase();
      if (fileSeen) return;
      // The content may also come as a plain field named `file` (no filename).
      if (lower === 'file') {
        fileSeen = true;
        file = { filename: '', contentType: 'application/octet-stream', data: Buffer.from(value, 'utf8') };
      } else if (!fields.has(lower)) fields.set(lower, value);
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      if (name.toLowerCase() !== 'file' || fileSeen) {
        stream.resume();
        return;
      }
      fileSeen = true;
      stream.on('end', () => {
        file = { filename: info.filename ?? '', contentType: info.mimeType, data: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => reject(malformed(error.message)));
    parser.on('close', () => resolve({ fields, file }));
    parser.end(body);
  });
}

function malformed(detail: string): ServiceError {
  return new ServiceError('MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data. (${detail})`, 400);
}
