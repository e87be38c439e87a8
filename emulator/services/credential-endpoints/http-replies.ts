import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId } from '../../core/ids.ts';
import type { Store } from '../../core/store.ts';

/** Helpers shared by the instance metadata and container credential endpoints (plain HTTP, not an AWS protocol). */

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** 127.0.0.0/8 or ::1 (also as ::ffff:127.x): the machine itself, as EC2 serves metadata only to its instance. */
export function fromLoopback(req: IncomingMessage): boolean {
  const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** Host is an IP literal or localhost (a bucket's virtual host name never is). */
export function addressedByIp(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return host === '' || host === 'localhost' || /^[\d.]+$/.test(host) || host.includes(':');
}

/** Whether the request carries a SigV4 signature (header or presigned query): the endpoints never are signed, S3 requests that share their paths are. */
export function isSigned(req: IncomingMessage): boolean {
  return req.headers.authorization?.startsWith('AWS4-') === true || /[?&]X-Amz-(Signature|Credential)=/i.test(req.url ?? '');
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain', headers: Record<string, string> = {}): void {
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(payload.length), ...headers });
  res.end(payload);
}

/** EC2's metadata service answers errors with a small HTML page named after the status, e.g. "401 - Unauthorized". */
export function sendHtmlError(res: ServerResponse, status: number): void {
  const title = `${status} - ${STATUS_TEXT[status] ?? 'Error'}`;
  const page = `<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`;
  sendText(res, status, page, 'text/html');
}

/** One line in the request log for a credential endpoint request, so checks can see who asked, how, and which key was served. */
export function logEndpointRequest(
  store: Store,
  req: IncomingMessage,
  entry: { service: string; operation: string; status: number; errorCode?: string; accessKeyId?: string; credentialSource?: string; callerArn?: string },
): void {
  store.log.append({
    time: store.clock.now().toISOString(),
    requestId: requestId(),
    method: req.method ?? 'GET',
    path: pathOf(req),
    ...entry,
  });
}
