import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketCorsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = s3Client(emulator);
});
afterAll(() => emulator.stop());

async function newBucket(): Promise<string> {
  const name = uniqueBucketName('config');
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

function publicReadPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  });
}

describe('bucket website configuration', () => {
  it('stores index, error document and routing rules, and gives them back', async () => {
    const bucket = await newBucket();
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: 'index.html' },
          ErrorDocument: { Key: 'error.html' },
          RoutingRules: [
            { Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/', HttpRedirectCode: '302' } },
            { Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'example.com', Protocol: 'https' } },
          ],
        },
      }),
    );
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect(website.IndexDocument).toEqual({ Suffix: 'index.html' });
    expect(website.ErrorDocument).toEqual({ Key: 'error.html' });
    expect(website.RoutingRules).toEqual([
      { Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/', HttpRedirectCode: '302' } },
      { Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'example.com', Protocol: 'https' } },
    ]);
  });

  it('stores a redirect of all requests', async () => {
    const bucket = await newBucket();
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'www.example.com', Protocol: 'https' } },
      }),
    );
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect(website.RedirectAllRequestsTo).toEqual({ HostName: 'www.example.com', Protocol: 'https' });
    expect(website.IndexDocument).toBeUndefined();
  });

  it('answers NoSuchWebsiteConfiguration before a Put and after a Delete', async () => {
    const bucket = await newBucket();
    const before = await failure(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })));
    expect([before.status, before.name, before.message]).toEqual([
      404,
      'NoSuchWebsiteConfiguration',
      'The specified bucket does not have a website configuration',
    ]);
    await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    const deleted = await s3.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await failure(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })))).name).toBe('NoSuchWebsiteConfiguration');
  });

  it('refuses a configuration without an index document', async () => {
    const bucket = await newBucket();
    const refused = await failure(
      s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { ErrorDocument: { Key: 'error.html' } } })),
    );
    expect([refused.status, refused.name, refused.message]).toEqual([
      400,
      'InvalidArgument',
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
    ]);
  });

  it('refuses an index suffix with a slash, a 300 redirect code and a rule that replaces both key and prefix', async () => {
    const bucket = await newBucket();
    const put = (WebsiteConfiguration: object) =>
      failure(s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration })));
    const slash = await put({ IndexDocument: { Suffix: 'docs/index.html' } });
    expect([slash.name, slash.message]).toEqual(['InvalidArgument', 'The IndexDocument Suffix is not well formed']);
    const code = await put({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { HttpRedirectCode: '300' } }] });
    expect(code.name).toBe('InvalidArgument');
    const both = await put({
      IndexDocument: { Suffix: 'index.html' },
      RoutingRules: [{ Redirect: { ReplaceKeyWith: 'a', ReplaceKeyPrefixWith: 'b' } }],
    });
    expect([both.status, both.name]).toEqual([400, 'InvalidRequest']);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const missing = await failure(s3.send(new GetBucketWebsiteCommand({ Bucket: uniqueBucketName('missing') })));
    expect([missing.status, missing.name]).toEqual([404, 'NoSuchBucket']);
  });
});

describe('public access block', () => {
  it('blocks all public access on a new bucket, as AWS does since April 2023', async () => {
    const bucket = await newBucket();
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it('stores settings (missing ones are false) and deletes them', async () => {
    const bucket = await newBucket();
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false },
      }),
    );
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    const deleted = await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
    expect([gone.status, gone.name, gone.message]).toEqual([
      404,
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
    ]);
  });
});

describe('bucket policy', () => {
  it('refuses a public policy while BlockPublicPolicy is on, and takes it once the block is removed', async () => {
    const bucket = await newBucket();
    const refused = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) })));
    expect([refused.status, refused.name]).toEqual([403, 'AccessDenied']);
    expect(refused.message).toBe(
      `User: arn:aws:iam::000000000000:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
    expect((await failure(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })))).name).toBe('NoSuchBucketPolicy');

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const stored = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(stored.Policy ?? '')).toEqual(JSON.parse(publicReadPolicy(bucket)));
  });

  it('takes non-public policies while public policies are blocked: a named account, or "*" pinned to an IP range', async () => {
    const bucket = await newBucket();
    const named = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(named) }));
    const pinned = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(pinned) }));
    const stored = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(stored.Policy ?? '')).toEqual(pinned);
  });

  it('deletes the policy', async () => {
    const bucket = await newBucket();
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
    const deleted = await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    expect([gone.status, gone.name, gone.message]).toEqual([404, 'NoSuchBucketPolicy', 'The bucket policy does not exist']);
  });

  it.each([
    ['text that is not JSON', () => 'not json', "Policies must be valid JSON and the first byte must be '{'"],
    [
      'a statement without Principal',
      (b: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] }),
      'Missing required field Principal',
    ],
    [
      'a principal that is not an AWS principal',
      (b: string) =>
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] }),
      'Invalid principal in policy',
    ],
    [
      's3:GetObject on the bucket instead of its objects',
      (b: string) =>
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}` }] }),
      'Action does not apply to any resource(s) in statement',
    ],
    [
      'a resource in another bucket',
      () =>
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-else/*' }] }),
      'Policy has invalid resource',
    ],
    [
      'a statement without Action',
      (b: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Resource: `arn:aws:s3:::${b}/*` }] }),
      'Missing required field Action',
    ],
  ])('refuses %s with MalformedPolicy', async (_what, policy, message) => {
    const bucket = await newBucket();
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const refused = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket) })));
    expect([refused.status, refused.name, refused.message]).toEqual([400, 'MalformedPolicy', message]);
  });
});

describe('bucket tagging', () => {
  it('replaces, returns and deletes the tag set', async () => {
    const bucket = await newBucket();
    const before = await failure(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })));
    expect([before.status, before.name, before.message]).toEqual([404, 'NoSuchTagSet', 'The TagSet does not exist']);

    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'course', Value: 'dev' }, { Key: 'lab', Value: '04' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual([
      { Key: 'course', Value: 'dev' },
      { Key: 'lab', Value: '04' },
    ]);
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'only', Value: '' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual([{ Key: 'only', Value: '' }]);

    const deleted = await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).name).toBe('NoSuchTagSet');
  });

  it('refuses duplicate keys and the reserved aws: prefix with InvalidTag', async () => {
    const bucket = await newBucket();
    const duplicate = await failure(
      s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })),
    );
    expect([duplicate.status, duplicate.name, duplicate.message]).toEqual([400, 'InvalidTag', 'Cannot provide multiple Tags with the same key']);
    const reserved = await failure(
      s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }] } })),
    );
    expect([reserved.name, reserved.message]).toEqual(['InvalidTag', 'System tags cannot be added/updated by requester']);
  });
});

describe('CORS', () => {
  const rules = [
    {
      AllowedOrigins: ['https://app.example.com'],
      AllowedMethods: ['GET', 'PUT'],
      AllowedHeaders: ['content-type', 'x-amz-*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 600,
    },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ];

  it('stores, returns and deletes the rules', async () => {
    const bucket = await newBucket();
    const before = await failure(s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
    expect([before.status, before.name, before.message]).toEqual([404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist']);
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(rules);
    const deleted = await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket: bucket })))).name).toBe('NoSuchCORSConfiguration');
  });

  it('refuses a method CORS does not know', async () => {
    const bucket = await newBucket();
    const refused = await failure(
      s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] } })),
    );
    expect([refused.status, refused.name, refused.message]).toEqual([
      400,
      'InvalidRequest',
      'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
    ]);
  });

  async function preflight(path: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${emulator.endpoint}${path}`, { method: 'OPTIONS', headers });
  }

  it('answers a preflight that a rule allows with the Access-Control headers', async () => {
    const bucket = await newBucket();
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    const response = await preflight(`/${bucket}/notes.json`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, X-Amz-Date',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Amz-Date');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');

    const anyOrigin = await preflight(`/${bucket}/notes.json`, { origin: 'https://other.example', 'access-control-request-method': 'GET' });
    expect(anyOrigin.status).toBe(200);
    expect(anyOrigin.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses preflights that no rule allows, on buckets without CORS, and without Origin', async () => {
    const bucket = await newBucket();
    const disabled = await preflight(`/${bucket}/a`, { origin: 'https://app.example.com', 'access-control-request-method': 'GET' });
    expect(disabled.status).toBe(403);
    expect(await disabled.text()).toContain('<Message>CORSResponse: CORS is not enabled for this bucket.</Message>');

    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    const wrongMethod = await preflight(`/${bucket}/a`, { origin: 'https://other.example', 'access-control-request-method': 'DELETE' });
    expect(wrongMethod.status).toBe(403);
    expect(await wrongMethod.text()).toContain('CORSResponse: This CORS request is not allowed.');
    const wrongHeader = await preflight(`/${bucket}/a`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-custom',
    });
    expect(wrongHeader.status).toBe(403);

    const noOrigin = await preflight(`/${bucket}/a`, { 'access-control-request-method': 'GET' });
    expect(noOrigin.status).toBe(400);
    expect(await noOrigin.text()).toContain('Insufficient information. Origin request header needed.');
  });

  it('adds Access-Control headers to ordinary responses when the Origin matches a rule', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes.json', Body: '[]' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
    const get = () => fetch(`${emulator.endpoint}/${bucket}/notes.json`, { headers: { origin: 'https://app.example.com' } });

    const before = await get();
    expect(before.status).toBe(200);
    expect(before.headers.get('access-control-allow-origin')).toBeNull();

    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    const after = await get();
    expect(await after.text()).toBe('[]');
    expect(after.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(after.headers.get('access-control-expose-headers')).toBe('ETag');
  });
});
