import { request } from 'node:http';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
  type WebsiteConfiguration,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = s3Client(emulator);
});
afterAll(() => emulator.stop());

interface WebResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An anonymous request to the website host, as a browser sends it (fetch cannot set Host). */
function website(bucket: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<WebResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.port,
        path,
        method,
        headers: { host: `${bucket}.s3-website.us-east-1.localhost:${emulator.port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const SITE: WebsiteConfiguration = { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } };

function policy(bucket: string, actions: Array<[action: string, resource: string]>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: actions.map(([Action, Resource]) => ({ Effect: 'Allow', Principal: '*', Action, Resource })),
  });
}

/** A bucket with pages, a website configuration and (unless `access` is 'private') a public policy. */
async function site(options: { config?: WebsiteConfiguration; access?: 'private' | 'get' | 'get-and-list'; pages?: Record<string, string> } = {}) {
  const bucket = uniqueBucketName('site');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const pages = options.pages ?? {
    'index.html': '<h1>home</h1>',
    'error.html': '<h1>oops</h1>',
    'docs/index.html': '<h1>docs</h1>',
    'notes.json': '[]',
  };
  for (const [key, body] of Object.entries(pages)) {
    const type = key.endsWith('.json') ? 'application/json' : 'text/html';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: type }));
  }
  await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: options.config ?? SITE }));
  const access = options.access ?? 'get-and-list';
  if (access !== 'private') {
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const statements: Array<[string, string]> = [['s3:GetObject', `arn:aws:s3:::${bucket}/*`]];
    if (access === 'get-and-list') statements.push(['s3:ListBucket', `arn:aws:s3:::${bucket}`]);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket, statements) }));
  }
  return bucket;
}

describe('website endpoint: documents', () => {
  it('serves the index document at the root, with the content type it was stored with', async () => {
    const bucket = await site();
    const home = await website(bucket, '/');
    expect([home.status, home.body, home.headers['content-type']]).toEqual([200, '<h1>home</h1>', 'text/html']);
    const json = await website(bucket, '/notes.json');
    expect([json.status, json.body, json.headers['content-type']]).toEqual([200, '[]', 'application/json']);
  });

  it('serves a folder index for /docs/ and redirects /docs to /docs/', async () => {
    const bucket = await site();
    const folder = await website(bucket, '/docs/');
    expect([folder.status, folder.body]).toEqual([200, '<h1>docs</h1>']);
    const bare = await website(bucket, '/docs');
    expect([bare.status, bare.headers.location]).toEqual([302, '/docs/']);
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const bucket = await site();
    const head = await website(bucket, '/', 'HEAD');
    expect([head.status, head.body, head.headers['content-length'], head.headers['content-type']]).toEqual([200, '', '13', 'text/html']);
  });

  it('serves the error document with status 404 for a missing page', async () => {
    const bucket = await site();
    const missing = await website(bucket, '/nowhere.html');
    expect([missing.status, missing.body, missing.headers['content-type']]).toEqual([404, '<h1>oops</h1>', 'text/html']);
  });

  it('answers the plain S3 404 page when there is no error document', async () => {
    const bucket = await site({ config: { IndexDocument: { Suffix: 'index.html' } } });
    const missing = await website(bucket, '/nowhere.html');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('<title>404 Not Found</title>');
    expect(missing.body).toContain('<li>Code: NoSuchKey</li>');
    expect(missing.body).toContain('<li>Key: nowhere.html</li>');
  });

  it('reports a missing error document under the 404 page', async () => {
    const bucket = await site({ config: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'missing-error.html' } } });
    const missing = await website(bucket, '/nowhere.html');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>');
    expect(missing.body).toContain('<li>Key: missing-error.html</li>');
  });

  it('answers 403 for a missing page when the policy grants s3:GetObject but not s3:ListBucket, as S3 does', async () => {
    const bucket = await site({ access: 'get' });
    expect((await website(bucket, '/')).status).toBe(200);
    const missing = await website(bucket, '/nowhere.html');
    expect([missing.status, missing.body]).toEqual([403, '<h1>oops</h1>']);
  });

  it('answers 404 NoSuchWebsiteConfiguration for a bucket without a website configuration', async () => {
    const bucket = uniqueBucketName('plain');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const page = await website(bucket, '/');
    expect(page.status).toBe(404);
    expect(page.body).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
    expect(page.body).toContain(`<li>BucketName: ${bucket}</li>`);
  });

  it('answers 404 NoSuchBucket for a bucket that does not exist', async () => {
    const page = await website(uniqueBucketName('ghost'), '/');
    expect(page.status).toBe(404);
    expect(page.body).toContain('<li>Code: NoSuchBucket</li>');
  });
});

describe('website endpoint: who may read', () => {
  it('answers the 403 Forbidden page for a bucket without a public policy', async () => {
    const bucket = await site({ access: 'private', config: { IndexDocument: { Suffix: 'index.html' } } });
    const page = await website(bucket, '/');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<h1>403 Forbidden</h1>');
    expect(page.body).toContain('<li>Code: AccessDenied</li>');
    expect(page.body).toContain('<li>Message: Access Denied</li>');
  });

  it('stops serving a public policy once RestrictPublicBuckets is turned on', async () => {
    const bucket = await site();
    expect((await website(bucket, '/')).status).toBe(200);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicPolicy: false, RestrictPublicBuckets: true },
      }),
    );
    expect((await website(bucket, '/')).status).toBe(403);
  });

  it('honours the policy conditions, here aws:Referer', async () => {
    const bucket = await site({ access: 'private', config: { IndexDocument: { Suffix: 'index.html' } } });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const refererOnly = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringLike: { 'aws:Referer': 'https://my-site.example/*' } },
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(refererOnly) }));
    expect((await website(bucket, '/')).status).toBe(403);
    expect((await website(bucket, '/', 'GET', { referer: 'https://my-site.example/page' })).status).toBe(200);
  });
});

describe('website endpoint: redirects', () => {
  it('redirects every request with RedirectAllRequestsTo (301, path kept)', async () => {
    const bucket = await site({ config: { RedirectAllRequestsTo: { HostName: 'www.example.com', Protocol: 'https' } } });
    const page = await website(bucket, '/docs/a.html');
    expect([page.status, page.headers.location]).toEqual([301, 'https://www.example.com/docs/a.html']);
  });

  it('applies a KeyPrefixEquals rule before reading, and an error-code rule after', async () => {
    const bucket = await site({
      config: {
        IndexDocument: { Suffix: 'index.html' },
        RoutingRules: [
          { Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/', HttpRedirectCode: '302' } },
          { Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'fallback.example', ReplaceKeyWith: 'sorry.html' } },
        ],
      },
    });
    const moved = await website(bucket, '/old/page.html');
    expect([moved.status, moved.headers.location]).toEqual([
      302,
      `http://${bucket}.s3-website.us-east-1.localhost:${emulator.port}/docs/page.html`,
    ]);
    const missing = await website(bucket, '/nowhere.html');
    expect([missing.status, missing.headers.location]).toEqual([301, 'http://fallback.example/sorry.html']);
    expect((await website(bucket, '/')).status).toBe(200);
  });
});

describe('website endpoint: path form for clients that cannot set Host', () => {
  it('serves /_website/<bucket>/<key> like the website host', async () => {
    const bucket = await site();
    const home = await fetch(`${emulator.endpoint}/_website/${bucket}/`);
    expect([home.status, await home.text()]).toEqual([200, '<h1>home</h1>']);
    const folder = await fetch(`${emulator.endpoint}/_website/${bucket}/docs`, { redirect: 'manual' });
    expect([folder.status, folder.headers.get('location')]).toEqual([302, `/_website/${bucket}/docs/`]);
    const missing = await fetch(`${emulator.endpoint}/_website/${bucket}/nowhere.html`);
    expect([missing.status, await missing.text()]).toEqual([404, '<h1>oops</h1>']);
  });

  it('refuses writes with the 405 page', async () => {
    const bucket = await site();
    const put = await fetch(`${emulator.endpoint}/_website/${bucket}/index.html`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(await put.text()).toContain('<li>Code: MethodNotAllowed</li>');
  });
});
