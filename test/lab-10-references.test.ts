/**
 * Lab 10's two references (fixtures/sigv4/lab-10-reference.ts) agree with each other on the
 * kind of random requests the checks draw: the canonical request of the emulator's verifier,
 * signed with the emulator's key derivation, gives the Authorization header the AWS SDK's
 * signer gives, for S3 (paths used as given, payload hash header) and for other services
 * (paths normalised and encoded again). A check can then blame a disagreement on the student.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../checks/support/random.ts';
import { requestStringToSign, signatureOf } from '../emulator/sigv4/signing.ts';
import { randomCredentials, randomRegion, randomRequest, randomTime } from '../fixtures/sigv4/lab-10-grading.ts';
import { referenceAmzDate, referenceCanonicalRequest, referenceScope, referenceSigningKey, sha256Hex, smithyAuthorization, UNSIGNED_PAYLOAD } from '../fixtures/sigv4/lab-10-reference.ts';
import type { Pair } from '../labs/10-sigv4/signable-request.ts';

describe("lab 10's references", () => {
  it("the emulator's canonical request and key, and the SDK's signer, give the same Authorization header on 300 random requests", async () => {
    const random = new Random(20261129);
    for (let i = 0; i < 300; i++) {
      const service = i % 3 === 0 ? 's3' : random.pick(['sts', 'dynamodb', 'execute-api', 'sqs']);
      const request = randomRequest(random, { service, safeQueryNames: true, unsortedQuery: i % 7 === 0 });
      const input = { credentials: randomCredentials(random), region: randomRegion(random), service, time: randomTime(random), unsignedPayload: service === 's3' && random.next() < 0.5 };

      // What a signer adds before signing: the date, the token, and for S3 the payload hash.
      const amzDate = referenceAmzDate(input.time);
      const payloadHash = input.unsignedPayload ? UNSIGNED_PAYLOAD : sha256Hex(request.body);
      const headers: Pair[] = [...request.headers, ['x-amz-date', amzDate]];
      if (input.credentials.sessionToken) headers.push(['x-amz-security-token', input.credentials.sessionToken]);
      if (service === 's3') headers.push(['x-amz-content-sha256', payloadHash]);
      const canonical = referenceCanonicalRequest({ ...request, headers }, service, payloadHash);
      const scope = referenceScope(amzDate, input.region, service);
      const key = referenceSigningKey(input.credentials.secretAccessKey, amzDate.slice(0, 8), input.region, service);
      const signature = signatureOf(key, requestStringToSign(amzDate, { date: amzDate.slice(0, 8), region: input.region, service }, canonical));
      const signedHeaders = [...new Set(headers.map(([name]) => name.toLowerCase()))].sort().join(';');

      expect(await smithyAuthorization(request, input), `random request ${i}: ${JSON.stringify({ request, input })}`).toBe(
        `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      );
    }
  });
});
