import { randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export function requestId(): string {
  return randomUUID();
}

/** S3's x-amz-id-2 is an opaque base64 host id. */
export function hostId(): string {
  return randomBytes(48).toString('base64');
}

/** Long-term keys start AKIA, temporary (STS) keys ASIA; 20 characters in all. */
export function accessKeyId(temporary: boolean): string {
  return (temporary ? 'ASIA' : 'AKIA') + randomFrom(UPPER_ALNUM, 16);
}

export function secretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 40);
}

/** Unique ids of IAM entities: a 4-letter prefix (AIDA user, AROA role, ANPA policy ...) and 17 characters. */
export function uniqueId(prefix: string): string {
  return prefix + randomFrom(UPPER_ALNUM, 17);
}
