/**
 * Lab 10: SigV4 by hand. Every AWS SDK signs each request with Signature Version 4; here you
 * do it yourself with node:crypto and send the requests with fetch: an STS GetCallerIdentity,
 * a DynamoDB ListTables, an S3 bucket, two S3 PutObjects (hashed and unsigned payload), and a
 * presigned URL you can open with curl. `npm run lab:10` runs this program against the lab
 * emulator, then grades each TODO. You do not need to change this file: the TODOs are in the
 * files it imports.
 */
import { getCallerIdentityRequest, listTablesRequest, putObjectRequest, send, type HttpResponse } from './aws-requests.ts';
import { canonicalRequest } from './canonical-request.ts';
import { presignGetObject } from './presign.ts';
import { readConfig } from './read-config.ts';
import type { Credentials, SignableRequest } from './signable-request.ts';
import { signature, signingKey } from './signing-key.ts';
import { sha256Hex, signRequest } from './sign-request.ts';
import { amzDate, credentialScope, stringToSign } from './string-to-sign.ts';

/** AWS's own worked example (the test suite's get-vanilla): you should see its known signature. */
const EXAMPLE: SignableRequest = { method: 'GET', path: '/', query: [], headers: [['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z']], body: '' };
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXAMPLE_SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

function report(what: string, response: HttpResponse): void {
  console.log(`  ${what}: HTTP ${response.status}`);
  if (response.status >= 300) console.log(indent(response.body.slice(0, 1500)));
}

async function main(): Promise<void> {
  console.log('\nStart of the SigV4 script\n');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'SigV4');
  const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const credentials: Credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' };

  console.log("AWS's example request (GET / of example.amazonaws.com, 2015-08-30 12:36:00 UTC):");
  const canonical = canonicalRequest(EXAMPLE, 'service', sha256Hex(''));
  console.log(`  canonical request:\n${indent(canonical)}`);
  const date = amzDate(new Date('2015-08-30T12:36:00Z'));
  const toSign = stringToSign(date, credentialScope(date, 'us-east-1', 'service'), canonical);
  console.log(`  string to sign:\n${indent(toSign)}`);
  const exampleSignature = signature(signingKey(EXAMPLE_SECRET, date.slice(0, 8), 'us-east-1', 'service'), toSign);
  console.log(`  signature: ${exampleSignature} (${exampleSignature === EXAMPLE_SIGNATURE ? "AWS's" : `AWS's is ${EXAMPLE_SIGNATURE}`})`);

  console.log(`\nSigned requests to ${endpoint} in ${region}:`);
  report('STS GetCallerIdentity', await send(endpoint, getCallerIdentityRequest(endpoint, credentials, region, new Date())));
  report('DynamoDB ListTables', await send(endpoint, listTablesRequest(endpoint, credentials, region, new Date())));

  const bucket = config.bucket_name!;
  const location = region === 'us-east-1' ? '' : `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  const createBucket: SignableRequest = { method: 'PUT', path: `/${bucket}`, query: [], headers: [['Host', new URL(endpoint).host]], body: location };
  report(`S3 CreateBucket ${bucket}`, await send(endpoint, signRequest(createBucket, { credentials, region, service: 's3', time: new Date() })));

  const key = config.object_key!;
  const note = `A note written with a hand-made signature at ${new Date().toISOString()}\n`;
  report(`S3 PutObject ${key} (hashed payload)`, await send(endpoint, putObjectRequest(endpoint, credentials, region, { bucket, key, body: note, unsignedPayload: false }, new Date())));
  report(`S3 PutObject ${key} (UNSIGNED-PAYLOAD)`, await send(endpoint, putObjectRequest(endpoint, credentials, region, { bucket, key, body: note, unsignedPayload: true }, new Date())));

  const expiresSeconds = Number(config.expires_seconds);
  const url = presignGetObject(endpoint, credentials, region, { bucket, key }, expiresSeconds, new Date());
  console.log(`\nA presigned URL for ${bucket}/${key}, valid for ${expiresSeconds} s:\n  ${url}`);
  const download = await fetch(url);
  console.log(`  GET of the URL alone: HTTP ${download.status}: ${JSON.stringify((await download.text()).slice(0, 200))}`);
  console.log(`  Try it yourself while \`npm run emulator\` runs: curl '${url}'`);

  console.log('\nEnd of the SigV4 script\n');
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
