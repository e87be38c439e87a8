/**
 * Lab 08: temporary credentials. The course's set_assume_role.sh and its boto3
 * conftest in TypeScript: assume a role and use the session, watch it expire, get an
 * MFA session with GetSessionToken, and decode an authorization failure.
 * `npm run lab:8` runs this program against the lab emulator, then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { assumeRole, createSessionS3Client } from './assume-role.ts';
import { totpCode } from './authenticator.ts';
import { cachedSession } from './cached-session.ts';
import { explainDenial } from './decode-authorization-message.ts';
import { getMfaSession } from './get-session-token.ts';
import { setUpLab } from './lab-setup.ts';
import { tryReadAndWrite } from './read-and-write.ts';
import { readConfig } from './read-config.ts';

async function main(): Promise<void> {
  console.log('\nStart of roles and sessions script\n');

  const config = readConfig(new URL('./config.ini', import.meta.url), 'STS');
  const maxAttempts = Number(config.max_attempts);
  const durationSeconds = Number(config.duration_seconds);
  const sessionName = config.role_session_name!;

  console.log('Setting up the lab (a user, a role that trusts it, a bucket)...');
  const world = await setUpLab(maxAttempts);
  console.log(`  user ${world.userArn}\n  role ${world.roleArn}\n  bucket ${world.bucket}`);
  // From here on the program runs with the user's keys, like the course's .env.
  const sts = new STSClient({ credentials: world.userCredentials, maxAttempts });

  console.log(`\nAssuming ${world.roleArn} as ${sessionName}...`);
  const session = await assumeRole(sts, world.roleArn, sessionName, durationSeconds);
  console.log(`  key ${session.accessKeyId}, expires ${session.expiration.toISOString()}`);

  console.log('\nWhat may the session do?');
  const s3 = createSessionS3Client(session);
  const verdicts = await tryReadAndWrite(s3, world.bucket, world.readKey, world.writeKey);
  console.log(`  read ${world.readKey}: ${verdicts.read}\n  write ${world.writeKey}: ${verdicts.write}`);
  s3.destroy();

  console.log('\nReusing the session while it lasts...');
  const credentials = cachedSession(() => assumeRole(sts, world.roleArn, sessionName, durationSeconds));
  const first = await credentials();
  const second = await credentials();
  console.log(`  same session twice: ${first.accessKeyId === second.accessKeyId}`);

  console.log('\nGetting an MFA session with GetSessionToken...');
  const mfa = await getMfaSession(sts, world.mfaSerial, async () => totpCode(world.mfaSeed), durationSeconds);
  console.log(`  key ${mfa.accessKeyId}, expires ${mfa.expiration.toISOString()}`);

  console.log('\nAsking IAM for its users with the role session (the role may only read S3)...');
  const iam = new IAMClient({ credentials: session, maxAttempts });
  try {
    await iam.send(new ListUsersCommand({}));
    console.log('  allowed?! The role should not list users.');
  } catch (error) {
    const details = await explainDenial(sts, error);
    console.log(details ? `  decoded: ${JSON.stringify(details, null, 2)}` : `  denied without an encoded message: ${(error as Error).message}`);
  } finally {
    iam.destroy();
  }
  sts.destroy();

  console.log('\nEnd of roles and sessions script\n');
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
