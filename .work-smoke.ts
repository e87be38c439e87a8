import { startEmulator } from '/work/main/emulator/server.ts';
import { S3Client, ListBucketsCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const emu = await startEmulator();
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const s3 = new S3Client({ endpoint: emu.endpoint, region: 'us-east-1', credentials: creds, forcePathStyle: true });
console.log(await s3.send(new ListBucketsCommand({})).then(r => r.$metadata.httpStatusCode));
try { await s3.send(new CreateBucketCommand({Bucket: 'abc'})) } catch (e: any) { console.log(e.name, e.message, e.$metadata.httpStatusCode) }
const sts = new STSClient({ endpoint: emu.endpoint, region: 'eu-west-1', credentials: creds });
console.log(await sts.send(new GetCallerIdentityCommand({})));
console.log(emu.store.log.list());
await emu.stop();
