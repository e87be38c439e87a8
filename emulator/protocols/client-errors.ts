import type { Socket } from 'node:net';
import { requestId as newRequestId, hostId } from '../core/ids.ts';
import { ServiceError } from '../core/service-error.ts';
import { requestTimeout } from '../pipeline/body-progress.ts';
import { toXml } from './xml.ts';

/**
 * Requests Node's HTTP parser refuses before any handler sees them (bad or duplicate
 * Content-Length, an unsupported Transfer-Encoding, a header section over the limit, a
 * body cut short, a request that took too long). No service is known yet, so they are
 * answered in S3's REST-XML error shape, the default service of the endpoint, with the
 * status and code S3 uses for the same fault, and the connection is closed (the stream
 * can no longer be framed).
 */
export function clientErrorFor(error: Error & { code?: string }): ServiceError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      // S3 API Reference, Error responses: RequestHeaderSectionTooLarge, 400. Node's limit is 16 KiB (--max-http-header-size).
      return new ServiceError('RequestHeaderSectionTooLarge', 'The request header and query parameters used to make the request exceed the maximum allowed size.', 400, {
        MaxSizeAllowed: '16384',
      });
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new ServiceError('BadRequest', 'The Content-Length header is invalid, repeated, or sent together with Transfer-Encoding.', 400);
    case 'HPE_INVALID_TRANSFER_ENCODING':
      // S3 answers a Transfer-Encoding it does not support with 501 NotImplemented and the header's name
      // (S3 API Reference, Error responses: "A header you provided implies functionality that is not implemented").
      return new ServiceError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, {
        Header: 'Transfer-Encoding',
      });
    case 'HPE_INVALID_EOF_STATE':
      return new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.', 400);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // Headers not complete within the headers timeout, or a whole request over the backstop (server-limits.ts).
      return requestTimeout();
    default:
      return new ServiceError('BadRequest', `The request could not be parsed as HTTP/1.1 (${error.code ?? error.message}).`, 400);
  }
}

/** Writes the error as a whole HTTP response on the raw socket and closes it. */
export function writeClientError(socket: Socket, error: ServiceError): void {
  const id = newRequestId();
  const body = toXml('Error', { Code: error.code, Message: error.message, ...error.extra, RequestId: id, HostId: hostId() });
  const head = [
    `HTTP/1.1 ${error.status} ${statusText(error.status)}`,
    'Content-Type: application/xml',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-amz-request-id: ${id}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(head + body);
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 501: 'Not Implemented' }[status] ?? 'Error';
}
