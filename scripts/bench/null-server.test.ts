import { Readable } from 'node:stream';
import { GetObjectCommand, GetObjectTaggingCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNullServer, type NullServer } from './null-server.ts';
import { requestsOf, runConcurrently, runWorkload, workloadKeys, type WorkloadShape } from './peer-workload.ts';

const shape: WorkloadShape = { objects: 5, objectBytes: 1024, identityCalls: 3 };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('null server', () => {
  let server: NullServer;
  beforeAll(async () => {
    server = await startNullServer({ objectBytes: shape.objectBytes, listedKeys: workloadKeys(shape), accountId: '000000000000' });
  });
  afterAll(() => server.stop());

  it('answers every request of the peer workload as the SDK expects (sizes, key count, account)', async () => {
    const before = server.requests;
    await runWorkload({ name: 'null', endpoint: server.endpoint, credentials, accountId: '000000000000' }, shape, 'null-bucket');
    expect(server.requests - before).toBe(requestsOf(shape));
  });

  it('serves concurrent clients', async () => {
    const before = server.requests;
    await runConcurrently({ name: 'null', endpoint: server.endpoint, credentials, accountId: '000000000000' }, shape, 8, 'null-concurrent');
    expect(server.requests - before).toBe(8 * requestsOf(shape));
  });

  it('takes a lib-storage multipart upload and drops its bytes', async () => {
    const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    try {
      const before = server.bytesReceived;
      const size = 12 * 1024 * 1024;
      await new Upload({ client, params: { Bucket: 'sink', Key: 'big.bin', Body: Readable.from([Buffer.alloc(size, 1)]) }, partSize: 5 * 1024 * 1024 }).done();
      // Three parts (5 + 5 + 2 MiB); aws-chunked framing adds a little to each.
      expect(server.bytesReceived - before).toBeGreaterThanOrEqual(size);
      const object = await client.send(new GetObjectCommand({ Bucket: 'sink', Key: 'big.bin' }));
      expect((await object.Body!.transformToByteArray()).length).toBe(shape.objectBytes);
    } finally {
      client.destroy();
    }
  });

  it('refuses an operation it does not know with a 501 naming it, instead of answering it as another', async () => {
    const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    try {
      // PUT /b?versioning and GET /b/k?tagging look like CreateBucket and GetObject but for their query.
      await expect(client.send(new PutBucketVersioningCommand({ Bucket: 'b', VersioningConfiguration: { Status: 'Enabled' } }))).rejects.toMatchObject({
        name: 'NotImplemented',
        $metadata: { httpStatusCode: 501 },
      });
      await expect(client.send(new GetObjectTaggingCommand({ Bucket: 'b', Key: 'k' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 501 } });
    } finally {
      client.destroy();
    }
  });
});
