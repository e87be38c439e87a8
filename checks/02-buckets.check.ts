/**
 * Lab 02 (create a bucket safely): one check per behaviour, graded on observable S3
 * state and the emulator's request log, never on what the program prints.
 */
import { GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { OTHER_ACCOUNT } from '../emulator/core/identity.ts';
import { REGIONS } from './support/random.ts';
import { check, type CheckContext } from './support/index.ts';

type ClientModule = typeof import('../labs/02-buckets/s3-client.ts');
type HeadBucketModule = typeof import('../labs/02-buckets/head-bucket.ts');
type CreateBucketModule = typeof import('../labs/02-buckets/create-bucket.ts');
type WaitModule = typeof import('../labs/02-buckets/wait-for-bucket.ts');

const NOT_US_EAST_1 = REGIONS.filter((r) => r !== 'us-east-1');

// --- TODO 1: the client -------------------------------------------------------------

check(
  {
    todo: 1,
    name: 'builds a client for the region in AWS_REGION that reaches the emulator',
    points: 1,
    hint: 'The SDK\'s default chain finds the region (AWS_REGION), the endpoint (AWS_ENDPOINT_URL) and the keys in the environment. A client that names any of them in the code ignores where the grader, or any other machine, points it.',
    recipe: 'Give the client only what config.ini asks for: `new S3Client({ maxAttempts })`, with no region, endpoint or credentials in the code.',
  },
  async (ctx) => {
    const region = ctx.random.pick(NOT_US_EAST_1);
    ctx.setEnv({ AWS_REGION: region });
    const { createS3Client } = await ctx.load<ClientModule>('s3-client.ts');
    const client = ctx.track(await createS3Client(3));
    ctx.expectEqual(await client.config.region(), region, `With AWS_REGION=${region}, the region of your client`);
    await client.send(new ListBucketsCommand({}));
    // What the client answers about itself comes from the student's process; the emulator saw what it really sent.
    if (ctx.can('request-log')) {
      const sent = await ctx.requests({ operation: 'ListBuckets' });
      ctx.expectTrue(sent.length > 0, 'Your client sent no ListBuckets request to the lab emulator: leave the endpoint to the environment (AWS_ENDPOINT_URL).');
      ctx.expectEqual(sent.at(-1)!.region, region, `The region your client signed its ListBuckets for, with AWS_REGION=${region}`);
    }
  },
);

check(
  {
    todo: 1,
    name: 'tries each request maxAttempts times in all',
    points: 1,
    hint: 'How often a request is tried is the client\'s setting `maxAttempts`, and it counts the first try too. config.ini asks for a number; the SDK\'s default (3) is not it.',
    recipe: 'Pass the argument to the client: `new S3Client({ maxAttempts })`.',
    needs: ['fault-injection', 'request-log'],
  },
  async (ctx) => {
    // Never 3, the SDK default, so only a client that passes maxAttempts on passes.
    const maxAttempts = ctx.random.pick([2, 4]);
    ctx.setEnv({ AWS_REGION: ctx.region });
    const { createS3Client } = await ctx.load<ClientModule>('s3-client.ts');
    const client = ctx.track(await createS3Client(maxAttempts));
    // Every ListBuckets fails with a retryable 500, so the SDK tries exactly maxAttempts times.
    await ctx.setFaults({ rules: [{ kind: 'internal', service: 's3', operation: 'ListBuckets' }] });
    await client.send(new ListBucketsCommand({})).catch(() => undefined);
    const attempts = (await ctx.requests({ operation: 'ListBuckets' })).length;
    ctx.expectEqual(attempts, maxAttempts, `Attempts of a request that always fails, with createS3Client(${maxAttempts})`);
  },
);

// --- TODO 2: HeadBucket verdicts -------------------------------------------------------

async function verdictFor(ctx: CheckContext, bucket: string): Promise<string> {
  const { verifyBucketName } = await ctx.load<HeadBucketModule>('head-bucket.ts');
  return verifyBucketName(ctx.s3(), bucket);
}

check(
  {
    todo: 2,
    name: "says 'available' for a name nobody owns (HeadBucket 404)",
    points: 1,
    hint: 'HeadBucket answers with a status only: the SDK throws for 404 and 403 alike. Which status means that no account has the name, and where on the error does the SDK keep it?',
    recipe: 'Send `new HeadBucketCommand({ Bucket })`; in the catch, `error.$metadata.httpStatusCode === 404` means \'available\'.',
  },
  async (ctx) => {
    const bucket = ctx.bucketName();
    ctx.expectEqual(await verdictFor(ctx, bucket), 'available', `The verdict for ${bucket}, which does not exist`);
  },
);

check(
  {
    todo: 2,
    name: "says 'owned-by-you' for a bucket you already have (HeadBucket 200)",
    points: 1,
    hint: 'HeadBucket succeeds only for a bucket that exists and that your credentials may use.',
    recipe: 'When `await client.send(new HeadBucketCommand({ Bucket }))` does not throw, return \'owned-by-you\'.',
  },
  async (ctx) => {
    const bucket = ctx.bucketName();
    await ctx.createBucket(bucket);
    ctx.expectEqual(await verdictFor(ctx, bucket), 'owned-by-you', `The verdict for ${bucket}, which your account created`);
  },
);

check(
  {
    todo: 2,
    name: "says 'owned-by-another-account' for a bucket someone else owns (HeadBucket 403)",
    points: 2,
    hint: 'Bucket names are shared by every AWS account: a 403 says the bucket exists but is not yours. HEAD errors have no body, so the SDK cannot name this one (it says `Unknown`): go by the HTTP status, not the error\'s name.',
    recipe: 'In the catch: `if (error.$metadata?.httpStatusCode === 403) return \'owned-by-another-account\';`',
    needs: ['head-bucket-403', 'seed'],
  },
  async (ctx) => {
    const bucket = ctx.bucketName();
    await ctx.seed({ s3: { buckets: [{ name: bucket, account: OTHER_ACCOUNT, region: ctx.region }] } });
    ctx.expectEqual(await verdictFor(ctx, bucket), 'owned-by-another-account', `The verdict for ${bucket}, which account ${OTHER_ACCOUNT} owns`);
  },
);

// --- TODO 3: CreateBucket in the client's region ------------------------------------------

async function createAndLocate(ctx: CheckContext, region: string): Promise<{ bucket: string; location: string | undefined }> {
  const bucket = ctx.bucketName();
  const { createBucket } = await ctx.load<CreateBucketModule>('create-bucket.ts');
  await createBucket(ctx.s3({ region }), bucket);
  const harness = ctx.s3({ region });
  const exists = await harness.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  ctx.expectTrue(exists, `After createBucket(client, "${bucket}") there is no bucket named ${bucket} in your account. Create the bucket with the name you are given.`);
  const { LocationConstraint } = await harness.send(new GetBucketLocationCommand({ Bucket: bucket }));
  // GetBucketLocation answers an empty LocationConstraint for us-east-1.
  return { bucket, location: LocationConstraint || undefined };
}

check(
  {
    todo: 3,
    name: 'creates the bucket in us-east-1 (no LocationConstraint)',
    points: 2,
    hint: 'us-east-1 is S3\'s original region and CreateBucket\'s default location: S3 refuses a LocationConstraint that names it.',
    recipe: 'In us-east-1, send `new CreateBucketCommand({ Bucket })` with no CreateBucketConfiguration at all.',
  },
  async (ctx) => {
    const { bucket, location } = await createAndLocate(ctx, 'us-east-1');
    ctx.expectEqual(location, undefined, `The LocationConstraint of ${bucket} (none means us-east-1)`);
  },
);

check(
  {
    todo: 3,
    name: "creates the bucket in the client's region outside us-east-1",
    points: 2,
    hint: 'Outside us-east-1, CreateBucket must say where the bucket goes, and it must be the region the client sends to. The client knows its region: ask it rather than reading AWS_REGION or config.ini.',
    recipe: 'const region = await client.config.region(); then `CreateBucketConfiguration: { LocationConstraint: region }` in the CreateBucketCommand.',
  },
  async (ctx) => {
    const region = ctx.random.pick(NOT_US_EAST_1);
    const { bucket, location } = await createAndLocate(ctx, region);
    ctx.expectEqual(location, region, `The region of ${bucket}, created with a client for ${region}`);
  },
);

// --- TODO 4: wait until the bucket exists -------------------------------------------------

/** The waiter's pace the lab asks for: about a second between polls. */
const MIN_GAP_MS = 500;
const MAX_GAP_MS = 2500;

check(
  {
    todo: 4,
    name: 'returns only once the new bucket is visible, polling about once a second',
    points: 3,
    hint: 'S3 may not show a new bucket to every request at once. The SDK\'s waiters poll for you; their default first pause (minDelay, 5 s) suits production, not a lab: tell the waiter how often to poll and how long to wait in all.',
    recipe: 'await waitUntilBucketExists({ client, minDelay: 1, maxWaitTime: 30 }, { Bucket })',
    needs: ['eventual-consistency', 'request-log'],
    timeoutSeconds: 8,
    // The waiter's pauses run on the grading clock: the request log's times show their spacing
    // exactly, and a second of polling costs no real second.
    virtualTime: true,
  },
  async (ctx) => {
    const bucket = ctx.bucketName();
    const client = ctx.s3();
    // The new bucket answers 404 to its first HeadBucket, as right after creation on AWS.
    await ctx.setFaults({ newBucketInvisibleReads: 1 });
    await ctx.createBucket(bucket);
    const { waitForBucket } = await ctx.load<WaitModule>('wait-for-bucket.ts');
    await waitForBucket(client, bucket);

    const polls = await ctx.requests({ operation: 'HeadBucket', bucket });
    ctx.expectTrue(polls.length > 0, 'Your function returned without ever asking S3 whether the bucket exists (no HeadBucket request).');
    const last = polls[polls.length - 1]!;
    ctx.expectTrue(
      last.status === 200,
      `Your function returned while the bucket was still invisible: HeadBucket answered ${polls.map((p) => p.status).join(', ')}, never 200. Keep polling until it answers 200.`,
    );
    const times = polls.map((p) => Date.parse(p.time));
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      ctx.expectTrue(gap >= MIN_GAP_MS, `Polls ${gap} ms apart: wait between polls (minDelay about 1 s) instead of hammering S3.`);
      ctx.expectTrue(gap <= MAX_GAP_MS, `Polls ${(gap / 1000).toFixed(1)} s apart: set minDelay to 1 s so the lab stays quick (the default is 5 s).`);
    }
  },
);
