/**
 * Lab 01: who am I, and what may my role do. The course's first practice in
 * TypeScript: `aws sts get-caller-identity`, then find the S3-Delete-Bucket-Policy's
 * ARN and attach it to notes-application-role, then list the role's policies.
 * `npm run lab:1` runs this program against the lab emulator, then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { attachRolePolicy } from './attach-role-policy.ts';
import { createIamClient, createStsClient } from './clients.ts';
import { getCallerIdentity } from './get-caller-identity.ts';
import { listAttachedRolePolicies } from './list-attached-role-policies.ts';
import { findPolicyArn } from './list-policies.ts';
import { readConfig } from './read-config.ts';

async function main(): Promise<void> {
  console.log('\nStart of identity script\n');

  console.log('Reading configuration file...');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'IAM');
  const maxAttempts = Number(config.max_attempts);
  const sts = createStsClient(maxAttempts);
  const iam = createIamClient(maxAttempts);

  const identity = await getCallerIdentity(sts);
  console.log(`You are ${identity.arn} in account ${identity.account}`);

  console.log(`\nLooking up the ARN of ${config.policy_name}...`);
  const policyArn = await findPolicyArn(iam, config.policy_name!);
  if (!policyArn) {
    console.log(`No managed policy is named ${config.policy_name}: check policy_name in config.ini.`);
    process.exitCode = 1;
    return;
  }
  console.log(policyArn);

  console.log(`\nAttaching it to ${config.role_name}...`);
  await attachRolePolicy(iam, config.role_name!, policyArn);
  console.log('Success!');

  console.log(`\nPolicies attached to ${config.role_name}:`);
  for (const policy of await listAttachedRolePolicies(iam, config.role_name!, Number(config.page_size))) {
    console.log(`  ${policy.name} : ${policy.arn}`);
  }

  console.log('\nEnd of identity script\n');
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
