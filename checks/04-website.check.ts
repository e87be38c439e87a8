/**
 * Lab 04 (static website): graded on S3 state (ListObjectsV2, HeadObject, GetObject,
 * GetBucketPolicy), on the request log (what a second sync uploads), and on what an
 * anonymous visitor gets from the website endpoint (node:http with the website Host
 * header, since fetch() cannot set Host).
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { evaluate } from '../emulator/policy/evaluate.ts';
import type { PolicyDocument } from '../emulator/policy/types.ts';
import { StudentError } from '../grader/student-process.ts';
import { check, type CheckContext } from './support/index.ts';

type FindBucketModule = typeof import('../labs/04-website/find-bucket.ts');
type SyncModule = typeof import('../labs/04-website/sync-folder.ts');
type WebsiteModule = typeof import('../labs/04-website/put-bucket-website.ts');
type PolicyModule = typeof import('../labs/04-website/put-bucket-policy.ts');
type UrlModule = typeof import('../labs/04-website/website-url.ts');

const SITE = new URL('../fixtures/website/', import.meta.url);

// --- the site and the bucket ---------------------------------------------------------------

interface Site {
  dir: string;
  /** key -> bytes, every file of the site. */
  files: Map<string, Buffer>;
}

/**
 * A copy of fixtures/website in a folder of ctx.tempDir() (the one place the student's
 * process may read; the grader removes it), plus a page of random name and content (so
 * no hard-coded list of files passes).
 */
async function makeSite(ctx: CheckContext, names: { index?: string; error?: string } = {}): Promise<Site> {
  const dir = await ctx.tempDir('lab04-site');
  cpSync(SITE, dir, { recursive: true });
  const files = new Map<string, Buffer>();
  const add = (key: string, bytes: Buffer) => {
    writeFileSync(join(dir, key), bytes);
    files.set(key, bytes);
  };
  for (const key of ['index.html', 'error.html', 'notes/index.html', 'css/style.css', 'js/app.js', 'images/logo.svg', 'images/badge.png']) {
    files.set(key, readFileSync(new URL(key, SITE)));
  }
  add(`notes/${ctx.random.suffix(6)}.html`, Buffer.from(`<!DOCTYPE html><title>Note</title><p>${ctx.random.suffix(20)}</p>\n`));
  // Documents of random names for the website checks: a hard-coded index.html does not pass.
  if (names.index) {
    add(names.index, Buffer.from(`<!DOCTYPE html><title>Home</title><h1>Home ${ctx.random.suffix(8)}</h1>\n`));
    add(`notes/${names.index}`, Buffer.from(`<!DOCTYPE html><title>Notes</title><h1>Notes ${ctx.random.suffix(8)}</h1>\n`));
  }
  if (names.error) add(names.error, Buffer.from(`<!DOCTYPE html><title>Oops</title><h1>Not here ${ctx.random.suffix(8)}</h1>\n`));
  return { dir, files };
}

/** The media type each extension must be served with (charset parameters allowed). */
const EXPECTED_TYPES: Readonly<Record<string, readonly string[]>> = {
  html: ['text/html'],
  css: ['text/css'],
  js: ['text/javascript', 'application/javascript'],
  svg: ['image/svg+xml'],
  png: ['image/png'],
};

function extensionOf(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** Uploads the site the way the solution would, for checks about later steps. */
async function uploadSite(client: S3Client, bucket: string, site: Site): Promise<void> {
  for (const [key, bytes] of site.files) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: EXPECTED_TYPES[extensionOf(key)]![0] }));
  }
}

function publicReadPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    ],
  });
}

async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await Body!.transformToByteArray());
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

async function bucketKeys(client: S3Client, bucket: string): Promise<string[]> {
  const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((object) => object.Key!).sort();
}

// --- the website endpoint, as an anonymous visitor -----------------------------------------

interface Page {
  status: number;
  contentType: string;
  body: Buffer;
}

/** GET `path` on the bucket's website host, anonymously: node:http, because fetch() drops Host. */
function visit(ctx: CheckContext, bucket: string, path: string): Promise<Page> {
  const endpoint = new URL(ctx.backend.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.hostname, port: endpoint.port, path, headers: { host: `${bucket}.s3-website.${ctx.region}.localhost:${endpoint.port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Fails unless the visitor got `expected` with `status`, saying what they got instead. */
function expectPage(ctx: CheckContext, page: Page, status: number, expected: Buffer, what: string): void {
  const snippet = (bytes: Buffer) => JSON.stringify(bytes.toString('utf8').replace(/\s+/g, ' ').slice(0, 120));
  ctx.expectTrue(page.status === status, `${what}: a visitor got HTTP ${page.status}, expected ${status}. The page said: ${snippet(page.body)}`);
  ctx.expectTrue(page.body.equals(expected), `${what}: a visitor got HTTP ${status} but not the expected page.\n  expected: ${snippet(expected)}\n  actual:   ${snippet(page.body)}`);
}

// --- TODO 1: find the bucket ------------------------------------------------------------------

/** Buckets of other names around the one to find, including near misses of the pattern. */
async function bucketsAround(ctx: CheckContext, pattern: string): Promise<void> {
  for (const name of [`photos-${ctx.random.suffix(6)}`, `${pattern.slice(0, -1)}-${ctx.random.suffix(6)}`, `logs-${ctx.random.suffix(6)}`]) {
    await ctx.createBucket(name);
  }
}

function randomPattern(ctx: CheckContext): string {
  return `site-${ctx.random.suffix(5)}`;
}

check(
  {
    todo: 1,
    name: 'finds the one bucket whose name contains the pattern',
    points: 2,
    hint: 'Only S3 knows which buckets the account has: list them and keep the names that contain the pattern anywhere, like the course\'s contains(Name, ...).',
    recipe: 'const { Buckets } = await client.send(new ListBucketsCommand({})); keep the names with `name.includes(pattern)`.',
  },
  async (ctx) => {
    const pattern = randomPattern(ctx);
    await bucketsAround(ctx, pattern);
    const wanted = await ctx.createBucket(`web-${pattern}-${ctx.random.suffix(4)}`);
    const { findBucket } = await ctx.load<FindBucketModule>('find-bucket.ts');
    ctx.expectEqual(await findBucket(ctx.s3(), pattern), wanted, `The bucket found for the pattern "${pattern}"`);
  },
);

async function expectRejection(ctx: CheckContext, pattern: string, what: string, mustMention: string[]): Promise<void> {
  const { findBucket } = await ctx.load<FindBucketModule>('find-bucket.ts');
  let result: string;
  try {
    result = await findBucket(ctx.s3(), pattern);
  } catch (error) {
    // Only the student's own error is an answer; anything else (their process died, the time ran out) is not.
    if (!(error instanceof StudentError)) throw error;
    const message = error.message;
    if (/TODO \d+ is not implemented yet/.test(message)) throw error;
    for (const word of mustMention) ctx.expectTrue(message.includes(word), `${what}, your error says ${JSON.stringify(message)}: name ${JSON.stringify(word)} in it.`);
    return;
  }
  ctx.fail(`${what}, findBucket returned ${JSON.stringify(result)} instead of throwing an error.`);
}

check(
  {
    todo: 1,
    name: 'throws an error naming the pattern when no bucket matches',
    points: 1,
    hint: 'When no name contains the pattern, `throw new Error(...)` that says which pattern found nothing, instead of returning undefined or an empty string.',
  },
  async (ctx) => {
    const pattern = randomPattern(ctx);
    await bucketsAround(ctx, pattern);
    await expectRejection(ctx, pattern, `With no bucket containing "${pattern}"`, [pattern]);
  },
);

check(
  {
    todo: 1,
    name: 'refuses to guess when several buckets match, naming them',
    points: 1,
    hint: 'When more than one name contains the pattern, throw an Error that lists them: picking the first one could publish to the wrong bucket.',
  },
  async (ctx) => {
    const pattern = randomPattern(ctx);
    await bucketsAround(ctx, pattern);
    const names = [await ctx.createBucket(`a-${pattern}-${ctx.random.suffix(4)}`), await ctx.createBucket(`b-${pattern}-${ctx.random.suffix(4)}`)];
    await expectRejection(ctx, pattern, `With two buckets containing "${pattern}"`, names);
  },
);

// --- TODO 2: sync ------------------------------------------------------------------------------

async function syncOnce(ctx: CheckContext, site: Site, bucket: string): Promise<void> {
  const { syncFolder } = await ctx.load<SyncModule>('sync-folder.ts');
  await syncFolder(ctx.s3(), site.dir, bucket);
}

check(
  {
    todo: 2,
    name: 'uploads every file of the folder under its relative key, byte for byte',
    points: 2,
    hint: 'A website\'s keys are paths relative to the site\'s root (css/style.css), never the local path or a leading slash; localFiles(folder) gives you each file\'s key.',
    recipe: 'For each file of localFiles(folder): PutObject with `Key: file.key` and the file\'s bytes as Body.',
  },
  async (ctx) => {
    const site = await makeSite(ctx);
    const bucket = await ctx.createBucket();
    await syncOnce(ctx, site, bucket);
    const client = ctx.s3();
    ctx.expectEqual(await bucketKeys(client, bucket), [...site.files.keys()].sort(), `The keys in ${bucket} after syncing the site`);
    for (const [key, bytes] of site.files) {
      const stored = await objectBytes(client, bucket, key);
      ctx.expectTrue(stored?.equals(bytes) === true, `s3://${bucket}/${key} does not hold the bytes of the file ${key}.`);
    }
  },
);

check(
  {
    todo: 2,
    name: "gives each file the content type of its extension (text/html, text/css, ...)",
    points: 2,
    hint: 'S3 serves back the content type it was given; without one a browser downloads a page instead of showing it.',
    recipe: 'Pass `ContentType: contentTypeFor(key)` with every PutObject.',
  },
  async (ctx) => {
    const site = await makeSite(ctx);
    const bucket = await ctx.createBucket();
    await syncOnce(ctx, site, bucket);
    const client = ctx.s3();
    for (const key of site.files.keys()) {
      let contentType: string | undefined;
      try {
        contentType = (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType;
      } catch {
        ctx.fail(`There is no object s3://${bucket}/${key} after the sync, so it has no content type.`);
      }
      const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const allowed = EXPECTED_TYPES[extensionOf(key)]!;
      ctx.expectTrue(allowed.includes(mediaType), `s3://${bucket}/${key} has Content-Type ${JSON.stringify(contentType)}, expected ${allowed.join(' or ')}.`);
    }
  },
);

interface Edits {
  /** Keys the second run must upload: edited (one keeping its size) and new files. */
  changed: string[];
}

/** Edits the synced site: one file keeps its size, one grows, one is new. */
function editSite(ctx: CheckContext, site: Site): Edits {
  const write = (key: string, bytes: Buffer) => {
    writeFileSync(join(site.dir, key), bytes);
    site.files.set(key, bytes);
  };
  // Same size, other bytes: caught by MD5/ETag, missed by a size comparison.
  const css = Buffer.from(site.files.get('css/style.css')!);
  const at = css.indexOf('#d35400');
  Buffer.from(`#${ctx.random.suffix(6)}`).copy(css, at);
  write('css/style.css', css);
  write('js/app.js', Buffer.concat([site.files.get('js/app.js')!, Buffer.from(`// build ${ctx.random.suffix(8)}\n`)]));
  const added = `images/icon-${ctx.random.suffix(5)}.svg`;
  write(added, Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>${ctx.random.suffix(6)}</title></svg>\n`));
  return { changed: ['css/style.css', 'js/app.js', added].sort() };
}

/** Keys a run wrote to, from the request log entries after `afterSeq`. */
async function uploadsSince(ctx: CheckContext, bucket: string, afterSeq: number): Promise<string[]> {
  const writes = (await ctx.requests({ bucket })).filter(
    (entry) => entry.seq > afterSeq && ['PutObject', 'CreateMultipartUpload', 'CopyObject'].includes(entry.operation) && entry.status < 300,
  );
  return [...new Set(writes.map((entry) => entry.key ?? ''))].sort();
}

check(
  {
    todo: 2,
    name: 'a second run uploads every changed or new file, also an edit that keeps the size',
    points: 2,
    hint: 'To know whether a file changed without downloading it, compare a fingerprint of its content with what S3 reports for the object. For a simple upload the ETag is the MD5 of the bytes (hex, in quotes); a size can stay the same after an edit.',
    recipe: 'List the bucket (paginateListObjectsV2), and upload a file when its key is missing or `"${md5 hex}"` differs from the object\'s ETag.',
  },
  async (ctx) => {
    const site = await makeSite(ctx);
    const bucket = await ctx.createBucket();
    await syncOnce(ctx, site, bucket);
    const { changed } = editSite(ctx, site);
    await syncOnce(ctx, site, bucket);
    const client = ctx.s3();
    for (const key of changed) {
      const stored = await objectBytes(client, bucket, key);
      const md5 = (bytes: Buffer | undefined) => (bytes ? createHash('md5').update(bytes).digest('hex') : 'no object');
      ctx.expectEqual(md5(stored), md5(site.files.get(key)), `After the second sync, the MD5 of s3://${bucket}/${key} (changed on disk: ${changed.join(', ')})`);
    }
  },
);

check(
  {
    todo: 2,
    name: 'a second run uploads nothing that did not change',
    points: 2,
    hint: 'A sync that re-sends everything costs a request and the bytes for every file, every time: send only what differs from what the bucket already holds.',
    recipe: 'Skip every file whose MD5 (hex, in quotes) equals the ETag ListObjectsV2 gives for its key.',
    needs: ['request-log'],
  },
  async (ctx) => {
    const site = await makeSite(ctx);
    const bucket = await ctx.createBucket();
    await syncOnce(ctx, site, bucket);
    const { changed } = editSite(ctx, site);
    const log = await ctx.requests();
    const afterFirstRun = log.length === 0 ? 0 : log[log.length - 1]!.seq;
    await syncOnce(ctx, site, bucket);
    const uploaded = await uploadsSince(ctx, bucket, afterFirstRun);
    const needless = uploaded.filter((key) => !changed.includes(key));
    ctx.expectEqual(needless, [], `Files the second run uploaded although they had not changed (changed: ${changed.join(', ')})`);
  },
);

// --- TODO 3: website hosting ---------------------------------------------------------------------

/** A public site whose documents have random names, before the student's enableWebsite. */
async function websiteCheck(ctx: CheckContext): Promise<{ bucket: string; site: Site; index: string; error: string }> {
  const index = ctx.random.pick(['index.html', 'home.html', 'start.html']);
  const error = ctx.random.pick(['error.html', '404.html', 'oops.html']);
  const site = await makeSite(ctx, { index, error });
  const bucket = await ctx.createBucket();
  const client = ctx.s3();
  await uploadSite(client, bucket, site);
  await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
  const { enableWebsite } = await ctx.load<WebsiteModule>('put-bucket-website.ts');
  await enableWebsite(client, bucket, index, error);
  return { bucket, site, index, error };
}

const WEBSITE_NEEDS = ['website-endpoint', 'website-policy'] as const;

check(
  {
    todo: 3,
    name: 'the site root serves the index document, as text/html',
    points: 2,
    hint: 'Website hosting is a bucket setting: its configuration names the document S3 serves for the site\'s root (and every folder).',
    recipe: 'PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: indexDocument }, ErrorDocument: { Key: errorDocument } } })',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { bucket, site, index } = await websiteCheck(ctx);
    const page = await visit(ctx, bucket, '/');
    expectPage(ctx, page, 200, site.files.get(index)!, `http://${bucket}.s3-website.${ctx.region}.localhost/ with index document ${index}`);
    ctx.expectTrue(page.contentType.startsWith('text/html'), `The home page came with Content-Type ${JSON.stringify(page.contentType)}, not text/html.`);
  },
);

check(
  {
    todo: 3,
    name: "a folder URL (/notes/) serves that folder's index document",
    points: 1,
    hint: 'The index document is a suffix S3 appends to every URL ending in /: give the bare name (index.html), not a path like /index.html.',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { bucket, site, index } = await websiteCheck(ctx);
    expectPage(ctx, await visit(ctx, bucket, '/notes/'), 200, site.files.get(`notes/${index}`)!, `/notes/ with index document ${index}`);
  },
);

check(
  {
    todo: 3,
    name: 'a missing page gets the error document with status 404',
    points: 2,
    hint: 'The website configuration can also name a page for errors; without it visitors get S3\'s bare error page.',
    recipe: 'Add `ErrorDocument: { Key: errorDocument }` to the WebsiteConfiguration.',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { bucket, site, error } = await websiteCheck(ctx);
    const missing = `/no-such-page-${ctx.random.suffix(5)}.html`;
    expectPage(ctx, await visit(ctx, bucket, missing), 404, site.files.get(error)!, `${missing} with error document ${error}`);
  },
);

// --- TODO 4: public read ---------------------------------------------------------------------------

/** A website bucket as the course has it before put-bucket-policy: public access still blocked. */
async function policyCheck(ctx: CheckContext): Promise<{ bucket: string; site: Site }> {
  const site = await makeSite(ctx);
  const bucket = await ctx.createBucket();
  const client = ctx.s3();
  await uploadSite(client, bucket, site);
  await client.send(
    new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }),
  );
  const { allowPublicRead } = await ctx.load<PolicyModule>('put-bucket-policy.ts');
  await allowPublicRead(client, bucket);
  return { bucket, site };
}

check(
  {
    todo: 4,
    name: 'anonymous visitors can read the pages',
    points: 2,
    hint: 'Two things keep a new bucket private: its public access block, and no policy allowing anyone. Anonymous readers need the first gone and a bucket policy that lets everyone read objects.',
    recipe: 'DeletePublicAccessBlockCommand({ Bucket }), then PutBucketPolicyCommand with a statement Allow, Principal "*", Action s3:GetObject, Resource arn:aws:s3:::<bucket>/*.',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { bucket, site } = await policyCheck(ctx);
    expectPage(ctx, await visit(ctx, bucket, '/'), 200, site.files.get('index.html')!, 'The home page');
    expectPage(ctx, await visit(ctx, bucket, '/css/style.css'), 200, site.files.get('css/style.css')!, '/css/style.css');
  },
);

check(
  {
    todo: 4,
    name: 'a missing page answers 404 with the error document, not 403',
    points: 2,
    hint: 'S3 says 404 for a missing key only to callers who may list the bucket; to everyone else it says 403, so as not to tell what exists. Listing is an action on the bucket, not on its objects.',
    recipe: 'Also allow "*" s3:ListBucket on arn:aws:s3:::<bucket> (the bucket ARN itself, no /*).',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { bucket, site } = await policyCheck(ctx);
    const missing = `/no-such-page-${ctx.random.suffix(5)}.html`;
    expectPage(ctx, await visit(ctx, bucket, missing), 404, site.files.get('error.html')!, missing);
  },
);

const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:PutBucketPolicy', 's3:DeleteBucket', 's3:PutBucketWebsite'];

check(
  {
    todo: 4,
    name: 'the bucket policy lets anonymous visitors read, nothing more',
    points: 1,
    hint: 'Allow exactly s3:GetObject (objects) and s3:ListBucket (the bucket) to "*": "s3:*" would let anyone overwrite or delete the site.',
  },
  async (ctx) => {
    const { bucket } = await policyCheck(ctx);
    const { Policy } = await ctx.s3().send(new GetBucketPolicyCommand({ Bucket: bucket }));
    const policy = JSON.parse(Policy ?? '{}') as PolicyDocument;
    // The emulator's policy engine answers what the policy grants an anonymous caller.
    const allowed = (action: string, resource: string) =>
      evaluate({ principal: { arn: '*', accountId: '' }, action, resource, resourceAccount: ctx.backend.accountId, context: {} }, { identityPolicies: [], resourcePolicy: policy })
        .decision === 'Allow';
    const granted = WRITE_ACTIONS.filter((action) => allowed(action, action.endsWith('Object') ? `arn:aws:s3:::${bucket}/index.html` : `arn:aws:s3:::${bucket}`));
    ctx.expectEqual(granted, [], `What your bucket policy lets anyone on the internet do besides reading`);
  },
);

// --- TODO 5: the website URL ---------------------------------------------------------------------------

const DASH_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1'];
const DOT_REGIONS = ['eu-central-1', 'ap-northeast-2', 'us-east-2', 'ca-central-1', 'eu-west-2', 'ap-south-1'];

/** The URL without a final slash; anything but a string (the student's answer) is shown as it came. */
const withoutSlash = (url: unknown) => (typeof url === 'string' ? url.replace(/\/$/, '') : url);

check(
  {
    todo: 5,
    name: 'gives the AWS website URL, s3-website-<region> or s3-website.<region> as the region has it',
    points: 2,
    hint: 'The older regions (us-east-1, us-west-2, eu-west-1, ...) spell it http://<bucket>.s3-website-<region>.amazonaws.com, the others http://<bucket>.s3-website.<region>.amazonaws.com.',
  },
  async (ctx) => {
    const { websiteUrl } = await ctx.load<UrlModule>('website-url.ts');
    const bucket = ctx.bucketName();
    const dash = ctx.random.pick(DASH_REGIONS);
    const dot = ctx.random.pick(DOT_REGIONS);
    ctx.expectEqual(withoutSlash(await websiteUrl(bucket, dash)), `http://${bucket}.s3-website-${dash}.amazonaws.com`, `The website URL of ${bucket} in ${dash}`);
    ctx.expectEqual(withoutSlash(await websiteUrl(bucket, dot)), `http://${bucket}.s3-website.${dot}.amazonaws.com`, `The website URL of ${bucket} in ${dot}`);
  },
);

check(
  {
    todo: 5,
    name: "gives the emulator's website URL, and it serves the site",
    points: 1,
    hint: 'With an endpoint, the host is <bucket>.s3-website.<region>.localhost on the endpoint\'s port: http://<bucket>.s3-website.<region>.localhost:<port>/.',
    needs: [...WEBSITE_NEEDS],
  },
  async (ctx) => {
    const { websiteUrl } = await ctx.load<UrlModule>('website-url.ts');
    const site = await makeSite(ctx);
    const bucket = await ctx.createBucket();
    const client = ctx.s3();
    await uploadSite(client, bucket, site);
    await client.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));

    const { port } = new URL(ctx.backend.endpoint);
    const url = await websiteUrl(bucket, ctx.region, ctx.backend.endpoint);
    ctx.expectEqual(withoutSlash(url), `http://${bucket}.s3-website.${ctx.region}.localhost:${port}`, `The website URL of ${bucket} in ${ctx.region} on the emulator at ${ctx.backend.endpoint}`);
    expectPage(ctx, await visit(ctx, bucket, '/'), 200, site.files.get('index.html')!, url);
  },
);
