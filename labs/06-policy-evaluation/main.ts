/**
 * Lab 06: a policy evaluator. The course's scenario: a user may list the notes bucket
 * (identity policy), and the bucket refuses everyone outside the office's IP range
 * (bucket policy). This program asks your evaluator about a few requests and prints its
 * verdicts; `npm run lab:6` then grades it. The TODOs are in the files evaluate.ts imports.
 */
import { readFileSync } from 'node:fs';
import { evaluate } from './evaluate.ts';
import type { Policy, Request } from './policy-types.ts';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const OFFICE_IP = '192.0.2.10';
const HOME_IP = '198.51.100.7';

function readPolicy(file: string): Policy {
  return JSON.parse(readFileSync(new URL(`./policies/${file}`, import.meta.url), 'utf8')) as Policy;
}

function request(user: string, account: string, action: string, resource: string, sourceIp: string): Request {
  return {
    principal: { arn: `arn:aws:iam::${account}:user/${user}`, account },
    action,
    resource,
    resourceAccount: ACCOUNT,
    context: { 'aws:SourceIp': sourceIp, 'aws:username': user },
  };
}

function main(): void {
  console.log('\nStart of the policy evaluation script\n');
  const userPolicy = readPolicy('notes-user-policy.json');
  const bucketPolicy = readPolicy('notes-bucket-policy.json');

  const scenarios: Array<{ what: string; request: Request; identity: Policy[] }> = [
    { what: 'alice lists the bucket from the office', request: request('alice', ACCOUNT, 's3:ListBucket', 'arn:aws:s3:::notes-bucket', OFFICE_IP), identity: [userPolicy] },
    { what: 'alice lists the bucket from home', request: request('alice', ACCOUNT, 's3:ListBucket', 'arn:aws:s3:::notes-bucket', HOME_IP), identity: [userPolicy] },
    { what: 'alice reads a note from the office', request: request('alice', ACCOUNT, 's3:GetObject', 'arn:aws:s3:::notes-bucket/2024/jan.csv', OFFICE_IP), identity: [userPolicy] },
    { what: 'bob (no policy) lists the bucket from the office', request: request('bob', ACCOUNT, 's3:ListBucket', 'arn:aws:s3:::notes-bucket', OFFICE_IP), identity: [] },
    { what: 'carol (another account) lists the bucket from the office', request: request('carol', OTHER_ACCOUNT, 's3:ListBucket', 'arn:aws:s3:::notes-bucket', OFFICE_IP), identity: [userPolicy] },
  ];
  for (const scenario of scenarios) {
    const verdict = evaluate(scenario.request, { identity: scenario.identity, resource: bucketPolicy });
    console.log(`${scenario.what.padEnd(58)} ${verdict}`);
  }
  console.log('\nEnd of the policy evaluation script\n');
}

try {
  main();
} catch (error) {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
