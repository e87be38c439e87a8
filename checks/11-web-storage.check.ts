/**
 * Lab 11 (S3 as a web application's storage): graded on S3 state (HeadObject, GetObject,
 * GetBucketCors), on the request log (what a second collectstatic uploads; a browser's
 * upload going straight to S3), on what S3 answers a form or a link the student's code
 * made, and in a real headless Chromium (the browser checks): the student's web app runs
 * in the student's process (startApp), the browser is driven from here.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  DeletePublicAccessBlockCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { OTHER_ACCOUNT } from '../emulator/core/identity.ts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import { browserContext, chromiumMissing, closeBrowser, studentAppUnreachable, warmUpBrowser } from './support/browser.ts';
import { check, type CheckContext } from './support/index.ts';
import { describeClient } from './support/student-code.ts';
import { solidPng } from './support/test-image.ts';

type StorageModule = typeof import('../labs/11-web-storage/s3-storage.ts');
type UploadModule = typeof import('../labs/11-web-storage/direct-upload.ts');
type CorsModule = typeof import('../labs/11-web-storage/bucket-cors.ts');
type CollectModule = typeof import('../labs/11-web-storage/collect-static.ts');
type AppModule = typeof import('../labs/11-web-storage/web-app.ts');

const STATIC_FOLDER = new URL('../labs/11-web-storage/static/', import.meta.url);
const BROWSER_SECONDS = 40;

beforeAll(() => warmUpBrowser(), 60_000);
afterAll(() => closeBrowser(), 30_000);

// --- helpers ---------------------------------------------------------------------------

/** The status of a failed harness call (HEAD errors have no body, so the status is what counts). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
}

async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await Body!.transformToByteArray());
  } catch {
    return undefined;
  }
}

/** The student's storage, as plain functions called in their process. */
async function storageFor(ctx: CheckContext, bucket: string, options: { location?: string; urlExpiresIn?: number; publicUrls?: boolean } = {}) {
  const { storageFunctions } = await ctx.load<StorageModule>('s3-storage.ts');
  return storageFunctions({ client: ctx.s3(), bucket, location: options.location ?? 'media', urlExpiresIn: options.urlExpiresIn ?? 600, publicUrls: options.publicUrls });
}

function publicStaticPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/static/*` }],
  });
}

/** The CORS rules the lab asks for, put by the harness for checks about other TODOs. */
async function harnessCors(ctx: CheckContext, bucket: string, origin: string): Promise<void> {
  await ctx.s3().send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] }] },
    }),
  );
}

/** What S3 answered a form post: status, and the error code of the XML body, if any. */
interface FormAnswer {
  status: number;
  code?: string;
}

async function postForm(form: { url: string; fields: Record<string, string> }, file: Buffer, contentType: string, overrides: Record<string, string> = {}): Promise<FormAnswer> {
  const body = new FormData();
  const fields = { ...form.fields, ...overrides };
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (!Object.keys(fields).some((name) => name.toLowerCase() === 'content-type')) body.append('Content-Type', contentType);
  body.append('file', new Blob([new Uint8Array(file)], { type: contentType }), 'upload.bin');
  const response = await fetch(form.url, { method: 'POST', body });
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] };
}

function describeAnswer(answer: FormAnswer): string {
  return answer.code ? `HTTP ${answer.status} ${answer.code}` : `HTTP ${answer.status} (accepted)`;
}

/**
 * The S3 client the app gets: the harness's endpoint, region and keys, but the SDK's usual
 * three attempts, as any long-running server has: an idle keep-alive socket that the
 * emulator closed (after 5 s) fails its next request with "socket hang up", which the SDK
 * retries. (ctx.s3() makes one attempt, so that the request log shows exactly one call.)
 */
function appClient(ctx: CheckContext): S3Client {
  const config = { endpoint: ctx.backend.endpoint, region: ctx.region, credentials: ctx.backend.credentials, forcePathStyle: true, maxAttempts: 3 };
  return ctx.track(describeClient(new S3Client(config), { service: 's3', config }));
}

/** Starts the student's app in their process; closed when the check ends. */
async function startStudentApp(ctx: CheckContext, bucket: string, options: { urlExpiresIn?: number; maxUploadBytes?: number } = {}) {
  const { startApp } = await ctx.load<AppModule>('web-app.ts');
  return startApp({ client: appClient(ctx), bucket, port: 0, urlExpiresIn: options.urlExpiresIn ?? 600, maxUploadBytes: options.maxUploadBytes ?? 4096 });
}

/** A one-page web server on 127.0.0.1 (another origin than the app's), closed with the check. */
async function blankOrigin(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>another site</title><p>another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Runs `body` with a fresh browser context, closing it (and everything else listed) after. */
async function inBrowser(body: (browser: BrowserContext) => Promise<void>, cleanup: Array<() => Promise<unknown> | void> = []): Promise<void> {
  const browser = await browserContext();
  try {
    await body(browser);
  } finally {
    await browser.close().catch(() => undefined);
    for (const step of cleanup) await Promise.resolve(step()).catch(() => undefined);
  }
}

/** What a page's script gets when it fetch()es `url`: the bytes' length, or the error the browser raised. */
function fetchFromPage(page: Page, url: string, init: { method?: string; body?: string; contentType?: string } = {}): Promise<{ ok: boolean; status?: number; length?: number; error?: string }> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, {
          method: init.method ?? 'GET',
          body: init.body,
          headers: init.contentType ? { 'content-type': init.contentType } : undefined,
        });
        return { ok: true, status: response.status, length: (await response.arrayBuffer()).byteLength };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, init },
  );
}

/** An <img>'s natural size once it has loaded or failed (0 x 0: it did not load), and the URL it loaded. */
function loadedImage(image: Locator): Promise<{ width: number; height: number; src: string }> {
  return image.evaluate(
    (img: HTMLImageElement) =>
      new Promise<{ width: number; height: number; src: string }>((resolve) => {
        const done = () => resolve({ width: img.naturalWidth, height: img.naturalHeight, src: img.currentSrc });
        if (img.complete) done();
        else {
          img.addEventListener('load', done);
          img.addEventListener('error', done);
        }
      }),
  );
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// --- TODO 1: the storage class ---------------------------------------------------------------

check(
  {
    todo: 1,
    name: 'save() stores under its location with the content type, and never overwrites: the same name twice gives two objects',
    points: 3,
    hint: 'A web framework never replaces a file by saving another of the same name: getAvailableName() asks S3 whether the name is taken (exists()) and, if so, adds a random suffix before the extension. save() then puts the object under `<location>/<name>` with ContentType, and returns the name it used.',
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const location = `media-${ctx.random.suffix(4)}`;
    const storage = await storageFor(ctx, bucket, { location });
    const name = `avatars/${ctx.random.suffix(6)}.png`;
    const first = solidPng(3, 2, [255, 0, 0]);
    const second = solidPng(5, 4, [0, 0, 255]);
    const firstName = await storage.save(name, first, 'image/png');
    const secondName = await storage.save(name, second, 'image/png');
    ctx.expectTrue(typeof firstName === 'string' && typeof secondName === 'string', `save() must return the name it used; it returned ${JSON.stringify(firstName)} and ${JSON.stringify(secondName)}.`);
    ctx.expectEqual(firstName, name, `The name save("${name}") used while the name was free`);
    ctx.expectTrue(secondName !== firstName, `Saving "${name}" a second time returned the same name: the first file was overwritten. Choose a free name (getAvailableName) instead.`);
    ctx.expectTrue(secondName.startsWith('avatars/') && secondName.endsWith('.png'), `The free name should stay in the same folder with the same extension (Django: "avatars/<name>_<random>.png"); got "${secondName}".`);
    const client = ctx.s3();
    const stored = await objectBytes(client, bucket, `${location}/${firstName}`);
    ctx.expectTrue(stored !== undefined && stored.equals(first), `s3://${bucket}/${location}/${firstName} should still hold the first file's bytes after the second save.`);
    const other = await objectBytes(client, bucket, `${location}/${secondName}`);
    ctx.expectTrue(other !== undefined && other.equals(second), `s3://${bucket}/${location}/${secondName} should hold the second file (keys go under the storage's location).`);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${location}/${secondName}` }));
    ctx.expectEqual(head.ContentType, 'image/png', `The Content-Type of ${location}/${secondName}`);
  },
);

check(
  {
    todo: 1,
    name: 'open() returns the bytes; exists() is true, false after delete() (404), and a 403 is an error, not false',
    points: 2,
    hint: 'exists() sends HeadObject: 200 is true, a 404 is false, and anything else (403: you may not look) must reach the caller as an error, because "I may not know" is not "it is not there". HEAD errors have no body: read error.$metadata.httpStatusCode.',
    needs: ['seed'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const name = `notes/${ctx.random.suffix(6)}.txt`;
    const text = `note ${ctx.random.suffix(16)}`;
    await ctx.s3().send(new PutObjectCommand({ Bucket: bucket, Key: `media/${name}`, Body: text, ContentType: 'text/plain' }));
    const storage = await storageFor(ctx, bucket);
    const bytes = await storage.open(name);
    ctx.expectEqual(Buffer.from(bytes).toString('utf8'), text, `open("${name}")`);
    ctx.expectEqual(await storage.exists(name), true, `exists("${name}") for a file that is there`);
    ctx.expectEqual(await storage.exists(`notes/missing-${ctx.random.suffix(6)}.txt`), false, 'exists() for a name no object has (HeadObject 404)');
    await storage.delete(name);
    ctx.expectEqual(await statusOf(ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: `media/${name}` }))), 404, `HeadObject of media/${name} after delete("${name}")`);
    ctx.expectEqual(await storage.exists(name), false, `exists("${name}") after delete()`);

    const foreign = ctx.bucketName('someone-elses');
    await ctx.seed({ s3: { buckets: [{ name: foreign, account: OTHER_ACCOUNT, region: ctx.region, objects: [{ key: `media/${name}`, body: 'theirs' }] }] } });
    const theirs = await storageFor(ctx, foreign);
    let answer: unknown;
    try {
      answer = await theirs.exists(name);
    } catch {
      return;
    }
    ctx.fail(`exists("${name}") in ${foreign}, a bucket another account owns, returned ${JSON.stringify(answer)}. HeadObject answered 403 (not allowed to look): let that error through instead of answering.`);
  },
);

check(
  {
    todo: 1,
    name: 'listdir() gives the folders and files directly under a path, through every page (over 1,000 entries)',
    points: 3,
    hint: "ListObjectsV2 with Prefix '<location>/<path>/' and Delimiter '/' gives the files directly under the path in Contents and each sub-folder once in CommonPrefixes. One call returns at most 1,000 entries (files and folders together): paginateListObjectsV2 reads every page. Return names relative to the path.",
    needs: ['seed'],
    timeoutSeconds: 20,
  },
  async (ctx) => {
    const bucket = ctx.bucketName();
    const folder = `albums-${ctx.random.suffix(4)}`;
    const files = Array.from({ length: 1000 + ctx.random.int(5, 40) }, (_, i) => `p${String(i).padStart(4, '0')}-${ctx.random.suffix(3)}.jpg`);
    const folders = Array.from({ length: ctx.random.int(3, 8) }, (_, i) => `y${2010 + i}`);
    const objects = [
      ...files.map((file) => ({ key: `media/${folder}/${file}`, body: 'x' })),
      ...folders.flatMap((sub) => [`media/${folder}/${sub}/a.jpg`, `media/${folder}/${sub}/deeper/b.jpg`].map((key) => ({ key, body: 'x' }))),
      { key: `media/top-${ctx.random.suffix(4)}.png`, body: 'x' },
      { key: `static/not-media.css`, body: 'x' },
    ];
    await ctx.seed({ s3: { buckets: [{ name: bucket, region: ctx.region, objects }] } });
    const storage = await storageFor(ctx, bucket);
    const listing = await storage.listdir(folder);
    const got = { directories: [...(listing?.directories ?? [])].sort(), files: [...(listing?.files ?? [])].sort() };
    ctx.expectEqual(got.directories, [...folders].sort(), `listdir("${folder}").directories (each sub-folder once, by name)`);
    if (got.files.length < files.length) {
      ctx.fail(`listdir("${folder}") returned ${got.files.length} files; the folder has ${files.length}. A ListObjectsV2 page holds at most 1,000 entries: read them all (paginateListObjectsV2).`);
    }
    ctx.expectEqual(got.files, [...files].sort(), `listdir("${folder}").files (names directly under the folder, relative to it)`);
    const top = await storage.listdir('');
    ctx.expectEqual([...(top?.directories ?? [])].sort(), [folder], "listdir('').directories (the top of the media location; static/ is another location)");
    ctx.expectEqual(top?.files ?? [], [objects.at(-2)!.key.slice('media/'.length)], "listdir('').files");
  },
);

// --- TODO 2: url() ----------------------------------------------------------------------------

check(
  {
    todo: 2,
    name: 'url() of a media file is a presigned GET that works now and is refused once its expiry has passed',
    points: 2,
    hint: 'getSignedUrl(client, new GetObjectCommand({ Bucket, Key }), { expiresIn }) from @aws-sdk/s3-request-presigner signs the URL in its query string (X-Amz-Signature, X-Amz-Expires). Use the storage\'s urlExpiresIn: a link that works for a week is a leak waiting to happen.',
    needs: ['clock-control'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const expiresIn = ctx.random.int(120, 900);
    const name = `photos/${ctx.random.suffix(6)}.png`;
    const image = solidPng(2, 2, [0, 128, 0]);
    await ctx.s3().send(new PutObjectCommand({ Bucket: bucket, Key: `media/${name}`, Body: image, ContentType: 'image/png' }));
    const storage = await storageFor(ctx, bucket, { urlExpiresIn: expiresIn });
    const url = await storage.url(name);
    const query = new URL(url).searchParams;
    ctx.expectTrue(query.has('X-Amz-Signature'), `url("${name}") is not presigned (no X-Amz-Signature in ${url}): media files are private, a browser needs a signed link.`);
    ctx.expectEqual(query.get('X-Amz-Expires'), String(expiresIn), 'X-Amz-Expires of the link (the storage\'s urlExpiresIn)');
    const now = await fetch(url);
    ctx.expectTrue(now.status === 200 && Buffer.from(await now.arrayBuffer()).equals(image), `A browser following the link right away got HTTP ${now.status}, expected the file (200).`);
    await ctx.advanceClock(expiresIn + 5);
    const later = await fetch(url);
    ctx.expectEqual(later.status, 403, `HTTP status of the link ${expiresIn + 5} s later (after its expiry)`);
  },
);

check(
  {
    todo: 2,
    name: "url() of a static file is its plain public URL (no signature), which anyone's browser can load",
    points: 1,
    hint: 'Static files are public by the bucket policy, and their URL should never change (browsers and CDNs cache it): for publicUrls, return objectUrl(client, bucket, key), not a signed link.',
    needs: ['iam-enforcement'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const client = ctx.s3();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'static/css/site.css', Body: 'body{}', ContentType: 'text/css' }));
    await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicStaticPolicy(bucket) }));
    const storage = await storageFor(ctx, bucket, { location: 'static', publicUrls: true });
    const url = await storage.url('css/site.css');
    ctx.expectTrue(!new URL(url).searchParams.has('X-Amz-Signature'), `url("css/site.css") of the static storage is signed (${url}); static files are public: return their plain URL.`);
    const page = await fetch(url);
    ctx.expectTrue(page.status === 200 && (await page.text()) === 'body{}', `An anonymous browser loading ${url} got HTTP ${page.status}, expected the stylesheet.`);
  },
);

check(
  {
    todo: 2,
    name: 'in Chromium, the gallery shows a picture loaded from S3 by its presigned URL (its natural size read in the page)',
    points: 2,
    hint: 'The gallery page lists media files with listdir() (TODO 1) and gives each <img> the storage\'s url(): the browser then loads the image from S3 itself, so the URL must be presigned (media is private) and still valid.',
    needs: ['request-log'],
    unavailable: studentAppUnreachable,
    timeoutSeconds: BROWSER_SECONDS,
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const [width, height] = [ctx.random.int(7, 60), ctx.random.int(7, 60)];
    const name = `pic-${ctx.random.suffix(6)}.png`;
    await ctx.s3().send(new PutObjectCommand({ Bucket: bucket, Key: `media/${name}`, Body: solidPng(width, height, [30, 90, 200]), ContentType: 'image/png' }));
    // url() first, on its own: the gallery also needs listdir() (TODO 1), whose failure should not hide this TODO's.
    await (await storageFor(ctx, bucket)).url(name);
    const app = await startStudentApp(ctx, bucket);
    await inBrowser(
      async (browser) => {
        const page = await browser.newPage();
        const response = await page.goto(new URL('gallery', app.url).href);
        ctx.expectEqual(response?.status(), 200, 'HTTP status of the gallery page');
        const image = page.locator(`img[data-name="${name}"]`);
        ctx.expectTrue((await image.count()) === 1, `The gallery page has no picture for ${name}; it shows: ${(await page.locator('body').innerText()).slice(0, 300)}`);
        const loaded = await loadedImage(image);
        ctx.expectTrue(new URL(loaded.src).searchParams.has('X-Amz-Signature'), `The picture's src is not a presigned URL: ${loaded.src}`);
        ctx.expectEqual([loaded.width, loaded.height], [width, height], `The natural size of ${name} as Chromium loaded it from S3 (0 x 0: it did not load)`);
      },
      [app.close],
    );
    const reads = await ctx.requests({ operation: 'GetObject', bucket });
    ctx.expectTrue(
      reads.some((entry) => entry.key === `media/${name}` && entry.status === 200),
      `The request log shows no successful GetObject of media/${name}: the browser did not load the picture from S3.`,
    );
  },
);

// --- TODO 3: direct upload with a POST policy ---------------------------------------------------

async function presignedForm(ctx: CheckContext, bucket: string, key: string, maxBytes: number) {
  const { presignUpload } = await ctx.load<UploadModule>('direct-upload.ts');
  return presignUpload(ctx.s3(), bucket, key, { maxBytes, expiresIn: 300 });
}

check(
  {
    todo: 3,
    name: "presignUpload()'s form lets S3 accept an image of allowed size under exactly that key",
    points: 2,
    hint: 'createPresignedPost(client, { Bucket, Key, Conditions, Expires }) from @aws-sdk/s3-presigned-post returns { url, fields }: the browser POSTs the fields and then the file to url. Conditions must let an image/* Content-Type through.',
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const key = `media/uploads/${ctx.random.suffix(8)}.png`;
    const maxBytes = ctx.random.int(2000, 5000);
    const form = await presignedForm(ctx, bucket, key, maxBytes);
    ctx.expectTrue(typeof form?.url === 'string' && typeof form?.fields === 'object', `presignUpload() should return { url, fields }; it returned ${JSON.stringify(form)?.slice(0, 200)}`);
    const image = solidPng(ctx.random.int(3, 9), ctx.random.int(3, 9), [200, 0, 100]);
    const answer = await postForm(form, image, 'image/png');
    ctx.expectTrue(answer.status >= 200 && answer.status < 300, `S3 refused a ${image.length}-byte PNG posted with your form: ${describeAnswer(answer)}.`);
    const head = await ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    ctx.expectEqual([head.ContentType, head.ContentLength], ['image/png', image.length], `Content type and size of ${key} after the upload`);
  },
);

check(
  {
    todo: 3,
    name: 'S3 itself refuses, by the policy, a file over the limit (EntityTooLarge), a non-image (AccessDenied) and another key',
    points: 2,
    hint: "The policy is what S3 enforces: ['content-length-range', 1, maxBytes] makes it answer 400 EntityTooLarge for a bigger file, and ['starts-with', '$Content-Type', 'image/'] 403 AccessDenied for a text file. The key is fixed by the { key } condition createPresignedPost adds.",
    needs: ['post-policy'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const key = `media/uploads/${ctx.random.suffix(8)}.png`;
    const maxBytes = ctx.random.int(2000, 5000);
    const form = await presignedForm(ctx, bucket, key, maxBytes);
    const tooLarge = await postForm(form, Buffer.alloc(maxBytes + 1, 7), 'image/png');
    ctx.expectEqual(describeAnswer(tooLarge), 'HTTP 400 EntityTooLarge', `S3's answer to a ${maxBytes + 1}-byte image (the limit is ${maxBytes})`);
    const text = await postForm(form, Buffer.from('not a picture'), 'text/plain');
    ctx.expectEqual(describeAnswer(text), 'HTTP 403 AccessDenied', "S3's answer to a text/plain file");
    const elsewhere = await postForm(form, solidPng(2, 2, [1, 2, 3]), 'image/png', { key: `media/uploads/other-${ctx.random.suffix(4)}.png` });
    ctx.expectEqual(describeAnswer(elsewhere), 'HTTP 403 AccessDenied', "S3's answer to the form with its key changed");
    ctx.expectEqual(await statusOf(ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }))), 404, `HeadObject of ${key}: nothing may have been stored`);
  },
);

check(
  {
    todo: 3,
    name: 'in Chromium, the upload page sends a picture straight to S3, the gallery shows it, and S3 refuses a too-large file and a text file (the page says so)',
    points: 2,
    hint: 'The upload page asks the app for a presigned POST (a free name from getAvailableName, TODO 1, then presignUpload), then the browser posts the file to S3 itself: the app never sees the bytes. What S3 refuses is decided by your policy\'s conditions. The gallery then lists the picture (listdir) and loads it by url().',
    needs: ['request-log', 'post-policy'],
    unavailable: studentAppUnreachable,
    timeoutSeconds: BROWSER_SECONDS,
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const maxUploadBytes = ctx.random.int(3000, 6000);
    // presignUpload() first, on its own: the page also needs getAvailableName() (TODO 1), whose failure should not hide this TODO's.
    await presignedForm(ctx, bucket, `media/probe-${ctx.random.suffix(6)}.png`, maxUploadBytes);
    const app = await startStudentApp(ctx, bucket, { maxUploadBytes });
    await harnessCors(ctx, bucket, app.origin);
    const [width, height] = [ctx.random.int(5, 40), ctx.random.int(5, 40)];
    const picture = solidPng(width, height, [250, 180, 20]);
    const pictureName = `holiday-${ctx.random.suffix(5)}.png`;
    const statuses: string[] = [];
    await inBrowser(
      async (browser) => {
        const page = await browser.newPage();
        const upload = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
          await page.goto(app.url);
          await page.setInputFiles('#upload input[type=file]', file);
          await page.click('#upload button[type=submit]');
          await page.waitForFunction(() => /^(Uploaded|S3 |The app)/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 15_000 });
          statuses.push((await page.textContent('#status')) ?? '');
          return statuses.at(-1)!;
        };
        const accepted = await upload({ name: pictureName, mimeType: 'image/png', buffer: picture });
        ctx.expectTrue(accepted.startsWith('Uploaded'), `Uploading a ${picture.length}-byte PNG in the browser did not work; the page says: "${accepted}"`);
        const tooLarge = await upload({ name: `big-${ctx.random.suffix(4)}.png`, mimeType: 'image/png', buffer: Buffer.concat([picture, Buffer.alloc(maxUploadBytes)]) });
        ctx.expectTrue(tooLarge.includes('EntityTooLarge'), `A file over the limit (${maxUploadBytes} bytes) should be refused by S3 with EntityTooLarge; the page says: "${tooLarge}"`);
        const text = await upload({ name: `notes-${ctx.random.suffix(4)}.txt`, mimeType: 'text/plain', buffer: Buffer.from('plain text, not a picture') });
        ctx.expectTrue(text.includes('AccessDenied'), `A text file should be refused by S3 (AccessDenied: the policy allows image/* only); the page says: "${text}"`);
        // The gallery then shows the uploaded picture, loaded from S3 by its presigned URL.
        const uploaded = accepted.slice('Uploaded '.length).trim().replace(/^media\//, '');
        const gallery = await page.goto(new URL('gallery', app.url).href);
        ctx.expectEqual(gallery?.status(), 200, 'HTTP status of the gallery page after the upload');
        const shown = page.locator(`img[data-name="${uploaded}"]`);
        ctx.expectTrue((await shown.count()) === 1, `After uploading ${uploaded}, the gallery page has no picture for it; it shows: ${(await page.locator('body').innerText()).slice(0, 300)}`);
        const loaded = await loadedImage(shown);
        ctx.expectTrue(new URL(loaded.src).searchParams.has('X-Amz-Signature'), `The uploaded picture's src in the gallery is not a presigned URL: ${loaded.src}`);
        ctx.expectEqual([loaded.width, loaded.height], [width, height], `The natural size of the uploaded ${uploaded} as Chromium loaded it from S3 in the gallery (0 x 0: it did not load)`);
      },
      [app.close],
    );
    const posts = await ctx.requests({ operation: 'PostObject', bucket });
    const fromBrowser = (entry: RequestLogEntry) => entry.params?.origin === app.origin && /Chrome/.test(entry.params?.['user-agent'] ?? '');
    const stored = posts.find((entry) => entry.status < 300 && fromBrowser(entry));
    ctx.expectTrue(stored !== undefined, `The request log shows no upload (POST Object) from the browser at ${app.origin} straight to S3.`);
    ctx.expectTrue(stored!.key!.startsWith('media/') && stored!.key!.endsWith('.png'), `The browser's upload went to ${stored!.key}; expected a .png key under media/.`);
    const head = await ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: stored!.key! }));
    ctx.expectEqual([head.ContentType, head.ContentLength], ['image/png', picture.length], `Content type and size of ${stored!.key} in S3`);
    const refusals = posts.filter(fromBrowser).map((entry) => entry.errorCode).filter(Boolean).sort();
    ctx.expectEqual(refusals, ['AccessDenied', 'EntityTooLarge'], 'The refusals S3 itself gave the browser (request log)');
  },
);

// --- TODO 4: CORS -----------------------------------------------------------------------------

check(
  {
    todo: 4,
    name: "the bucket's CORS rules allow only the app's origin, and only GET, PUT and POST",
    points: 1,
    hint: "PutBucketCors with one rule: AllowedOrigins [appOrigin] (not '*': any web site could then read your files through your users' browsers), AllowedMethods GET, PUT, POST (no DELETE).",
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const origin = `http://127.0.0.1:${ctx.random.int(20000, 40000)}`;
    const { allowAppOrigin } = await ctx.load<CorsModule>('bucket-cors.ts');
    await allowAppOrigin(ctx.s3(), bucket, origin);
    const { CORSRules = [] } = await ctx.s3().send(new GetBucketCorsCommand({ Bucket: bucket }));
    ctx.expectTrue(CORSRules.length > 0, 'The bucket has no CORS rules after allowAppOrigin().');
    const origins = [...new Set(CORSRules.flatMap((rule) => rule.AllowedOrigins ?? []))];
    ctx.expectEqual(origins, [origin], 'Every origin the CORS rules allow');
    const methods = [...new Set(CORSRules.flatMap((rule) => rule.AllowedMethods ?? []))].sort();
    ctx.expectEqual(methods, ['GET', 'POST', 'PUT'], 'Every method the CORS rules allow');
  },
);

check(
  {
    todo: 4,
    name: "in Chromium, a page of the app's origin reads an object and PUTs by presigned URLs (preflight allowed); a page of another origin cannot read it",
    points: 3,
    hint: "The browser asks S3 (a preflight OPTIONS for a PUT with Content-Type) whether the page's origin may read or send; S3 answers from the bucket's CORS rules. Allow the app's origin exactly: scheme, host and port.",
    needs: ['cors-enforcement'],
    unavailable: chromiumMissing,
    timeoutSeconds: BROWSER_SECONDS,
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const client = ctx.s3();
    const key = `media/${ctx.random.suffix(8)}.png`;
    const image = solidPng(4, 4, [9, 9, 9]);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: image, ContentType: 'image/png' }));
    const app = await blankOrigin();
    const other = await blankOrigin();
    const { allowAppOrigin } = await ctx.load<CorsModule>('bucket-cors.ts');
    await allowAppOrigin(client, bucket, app.origin);
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
    const putKey = `media/put-${ctx.random.suffix(6)}.txt`;
    // Without WHEN_REQUIRED the SDK signs an empty body's CRC32 into the URL, and S3 refuses the PUT (BadDigest).
    const presigner = ctx.track(
      new S3Client({ endpoint: ctx.backend.endpoint, region: ctx.region, credentials: ctx.backend.credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }),
    );
    const putUrl = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: bucket, Key: putKey, ContentType: 'text/plain' }), { expiresIn: 300 });
    await inBrowser(
      async (browser) => {
        const appPage = await browser.newPage();
        await appPage.goto(app.origin);
        const read = await fetchFromPage(appPage, getUrl);
        ctx.expectTrue(read.ok && read.status === 200 && read.length === image.length, `A page at ${app.origin} could not read ${key} by its presigned URL: ${read.error ?? `HTTP ${read.status}`}. The CORS rules must allow that origin to GET.`);
        const put = await fetchFromPage(appPage, putUrl, { method: 'PUT', body: 'hello', contentType: 'text/plain' });
        ctx.expectTrue(put.ok && put.status === 200, `A page at ${app.origin} could not PUT by a presigned URL (the browser's preflight was refused?): ${put.error ?? `HTTP ${put.status}`}.`);
        const foreignPage = await browser.newPage();
        await foreignPage.goto(other.origin);
        const stolen = await fetchFromPage(foreignPage, getUrl);
        ctx.expectTrue(!stolen.ok, `A page of another site (${other.origin}) could read ${key} with the link: your CORS rules allow more than the app's origin.`);
      },
      [() => closeServer(app.server), () => closeServer(other.server)],
    );
    // A fresh client: the first one's keep-alive socket may have been closed while the browser ran.
    ctx.expectEqual((await objectBytes(ctx.s3(), bucket, putKey))?.toString('utf8'), 'hello', `The object the page PUT at ${putKey}`);
  },
);

// --- TODO 5: collectstatic ----------------------------------------------------------------------

/** The lab's static folder plus a file of random name and content, in a folder the student's process may read. */
async function staticFolder(ctx: CheckContext): Promise<{ dir: string; files: Map<string, Buffer> }> {
  const dir = await ctx.tempDir('lab11-static');
  cpSync(STATIC_FOLDER, dir, { recursive: true });
  const extra = `js/${ctx.random.suffix(6)}.js`;
  writeFileSync(join(dir, extra), `console.log(${JSON.stringify(ctx.random.suffix(12))});\n`);
  const files = new Map<string, Buffer>();
  for (const key of ['app.css', 'images/logo.svg', 'js/gallery.js', extra]) files.set(key, readFileSync(join(dir, key)));
  return { dir, files };
}

const TYPES: Record<string, string[]> = { css: ['text/css'], svg: ['image/svg+xml'], js: ['text/javascript', 'application/javascript'] };

check(
  {
    todo: 5,
    name: 'collectstatic uploads every static file under static/ with its content type and Cache-Control',
    points: 2,
    hint: "Each file goes to '<location>/<path in the folder>' with ContentType from contentTypeFor() and CacheControl from the options: S3 serves back exactly what you send.",
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const site = await staticFolder(ctx);
    const cacheControl = `public, max-age=${ctx.random.int(600, 90000)}`;
    const { collectStatic } = await ctx.load<CollectModule>('collect-static.ts');
    await collectStatic(ctx.s3(), bucket, site.dir, { location: 'static', cacheControl });
    for (const [path, bytes] of site.files) {
      const key = `static/${path}`;
      const stored = await objectBytes(ctx.s3(), bucket, key);
      ctx.expectTrue(stored !== undefined && stored.equals(bytes), `s3://${bucket}/${key} is missing or differs from ${path} in the folder.`);
      const head = await ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const expected = TYPES[path.slice(path.lastIndexOf('.') + 1)]!;
      ctx.expectTrue(expected.some((type) => (head.ContentType ?? '').startsWith(type)), `${key} is served as "${head.ContentType}", expected ${expected.join(' or ')}.`);
      ctx.expectEqual(head.CacheControl, cacheControl, `Cache-Control of ${key}`);
    }
  },
);

check(
  {
    todo: 5,
    name: 'a second collectstatic uploads nothing, and after one file changes, only that file',
    points: 1,
    hint: "List what is under the location first and compare each file's MD5 with the object's ETag (in double quotes): equal means unchanged, skip it.",
    needs: ['request-log'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const site = await staticFolder(ctx);
    const options = { location: 'static', cacheControl: 'public, max-age=600' };
    const { collectStatic } = await ctx.load<CollectModule>('collect-static.ts');
    await collectStatic(ctx.s3(), bucket, site.dir, options);
    const before = (await ctx.requests({ operation: 'PutObject', bucket })).length;
    await collectStatic(ctx.s3(), bucket, site.dir, options);
    const again = (await ctx.requests({ operation: 'PutObject', bucket })).slice(before).map((entry) => entry.key);
    ctx.expectEqual(again, [], 'Objects uploaded by a second collectstatic of the same folder');
    writeFileSync(join(site.dir, 'app.css'), `body { color: #${ctx.random.int(0x100000, 0xffffff).toString(16)}; }\n`);
    await collectStatic(ctx.s3(), bucket, site.dir, options);
    const changed = (await ctx.requests({ operation: 'PutObject', bucket })).slice(before).map((entry) => entry.key);
    ctx.expectEqual(changed, ['static/app.css'], 'Objects uploaded after only app.css changed');
  },
);

check(
  {
    todo: 5,
    name: 'static/ is readable by everyone and nothing else is: an anonymous GET of a static file works, of a media file is refused',
    points: 2,
    hint: "Remove the public access block, then a bucket policy allowing s3:GetObject to Principal '*' on arn:aws:s3:::<bucket>/static/* only. Resource '<bucket>/*' would publish your users' media files too.",
    needs: ['iam-enforcement'],
  },
  async (ctx) => {
    const bucket = await ctx.createBucket();
    const client = ctx.s3();
    const secret = `media/private-${ctx.random.suffix(6)}.png`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'static/app.css', Body: 'body{}', ContentType: 'text/css' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: secret, Body: solidPng(2, 2, [0, 0, 0]), ContentType: 'image/png' }));
    const { publishStatic } = await ctx.load<CollectModule>('collect-static.ts');
    await publishStatic(client, bucket, 'static');
    const base = `${ctx.backend.endpoint.replace(/\/$/, '')}/${bucket}`;
    const css = await fetch(`${base}/static/app.css`);
    ctx.expectEqual(css.status, 200, 'HTTP status of an anonymous GET of static/app.css');
    const media = await fetch(`${base}/${secret}`);
    ctx.expectEqual(media.status, 403, `HTTP status of an anonymous GET of ${secret} (a user's file: must stay private)`);
  },
);
