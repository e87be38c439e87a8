import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../sigv4/sigv4-test-support.ts';

/** Raw HTTP for the robustness tests: signed requests the SDK would never send, and bytes no client library would. Tests only. */

export interface WireRequest {
  method: string;
  /** Path and query, sent as given (percent-encoding untouched). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Signs with SigV4 as the SDK would (x-amz-content-sha256 for S3), for `service` in us-east-1. */
export async function signed(service: string, request: WireRequest, port: number): Promise<WireRequest> {
  const queryStart = request.path.indexOf('?');
  const path = queryStart === -1 ? request.path : request.path.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  if (queryStart !== -1) {
    for (const [name, value] of new URLSearchParams(request.path.slice(queryStart + 1))) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
  }
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' });
  const out = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path,
    query,
    headers: { host: `127.0.0.1:${port}`, ...request.headers },
    body: request.body,
  });
  return { ...request, headers: out.headers as Record<string, string> };
}

/** One request on its own connection; a connection error or a silent server is an answer too (status 0). */
export function send(port: number, request: WireRequest, timeoutMs = 10_000): Promise<WireResponse> {
  return new Promise((resolve) => {
    const headers: OutgoingHttpHeaders = { ...request.headers };
    const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, headers: {}, body: String(error.message) }));
    req.end(request.body);
  });
}

/** Bytes as given on a fresh socket; resolves with what came back when the server closes (or after `waitMs`). */
export function sendRaw(port: number, bytes: string | Buffer, options: { waitMs?: number; halfClose?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (options.halfClose) socket.end();
    });
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, options.waitMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
    socket.on('error', () => undefined);
  });
}

/** Status line and body of a raw HTTP/1.1 answer (the first one on the connection). */
export function parseRawResponse(raw: string): { status: number; body: string } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const split = raw.indexOf('\r\n\r\n');
  return { status, body: split === -1 ? '' : raw.slice(split + 4) };
}

/** A request as the bytes of HTTP/1.1 (headers as given: sign first). */
export function rawRequest(request: WireRequest, extraHeaders: Record<string, string> = {}): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string> = { ...request.headers, ...extraHeaders };
  if (body.length > 0 && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  const head = [`${request.method} ${request.path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
