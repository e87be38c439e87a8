import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { presignUpload } from './direct-upload.ts';
import { galleryPage, uploadPage, type StaticUrls } from './pages.ts';
import { S3Storage } from './s3-storage.ts';

/**
 * The course's Django app, on node:http: an upload page whose picture goes from the
 * browser straight to S3 (TODO 3), and a gallery that shows the pictures by presigned
 * URLs (TODO 1, 2), styled by static files that collectstatic put on S3 (TODO 5). The
 * browser may read S3's answers because of the bucket's CORS rules (TODO 4).
 * You do not need to change this file.
 */
export interface AppOptions {
  bucket: string;
  /** Default: a client from the environment (region, endpoint and keys: lab 02, TODO 1). */
  client?: S3Client;
  /** 0 (default): any free port. The app listens on 127.0.0.1 only. */
  port?: number;
  staticLocation?: string;
  mediaLocation?: string;
  urlExpiresIn?: number;
  maxUploadBytes?: number;
  /** How long an upload form may be used, in seconds. */
  formExpiresIn?: number;
}

export interface RunningApp {
  /** The upload page, e.g. http://127.0.0.1:8000/ */
  url: string;
  /** The origin pages run at (CORS: TODO 4). */
  origin: string;
  close: () => Promise<void>;
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const client = options.client ?? new S3Client({});
  const common = { client, bucket: options.bucket, urlExpiresIn: options.urlExpiresIn ?? 600 };
  const media = new S3Storage({ ...common, location: options.mediaLocation ?? 'media' });
  const statics = new S3Storage({ ...common, location: options.staticLocation ?? 'static', publicUrls: true });
  const maxBytes = options.maxUploadBytes ?? 1024 * 1024;

  const staticUrls = async (): Promise<StaticUrls> => ({
    css: await statics.url('app.css'),
    logo: await statics.url('images/logo.svg'),
    galleryScript: await statics.url('js/gallery.js'),
  });

  const routes: Record<string, (req: IncomingMessage) => Promise<{ type: string; body: string }>> = {
    'GET /': async () => ({ type: 'text/html; charset=utf-8', body: uploadPage(await staticUrls(), maxBytes) }),
    'GET /gallery': async () => {
      const { files, directories } = await media.listdir('');
      const items = await Promise.all(files.map(async (name) => ({ name, url: await media.url(name) })));
      return { type: 'text/html; charset=utf-8', body: galleryPage(await staticUrls(), items, directories) };
    },
    // The browser asks for a signed form, then sends the file to S3 itself: the app never sees the bytes.
    'POST /api/uploads': async (req) => {
      const { name } = JSON.parse(await readText(req)) as { name?: unknown };
      const safe = posix.basename(String(name ?? 'upload')).replace(/[^\w.-]+/g, '-') || 'upload';
      const available = await media.getAvailableName(safe);
      const key = media.key(available);
      const form = await presignUpload(client, options.bucket, key, { maxBytes, expiresIn: options.formExpiresIn ?? 300 });
      return { type: 'application/json', body: JSON.stringify({ ...form, key }) };
    },
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    const route = routes[`${req.method} ${path}`];
    if (!route) return send(res, 404, 'text/plain', 'Not found');
    route(req).then(
      (page) => send(res, 200, page.type, page.body),
      (error: unknown) => send(res, 500, 'text/plain; charset=utf-8', `The app failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 64 * 1024) req.destroy(new Error('request too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
