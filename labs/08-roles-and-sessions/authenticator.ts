import { createHmac } from 'node:crypto';

/**
 * Plays the authenticator app on your phone for the program: the six-digit code of
 * a virtual MFA device at a given time (TOTP, RFC 6238: HMAC-SHA1 over the number of
 * 30-second steps since 1970, from the device's Base32 seed that IAM hands out once).
 */
export function totpCode(base32Seed: string, at: Date = new Date()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const digest = createHmac('sha1', base32Decode(base32Seed)).update(counter).digest();
  // RFC 4226 dynamic truncation: 4 bytes at the offset named by the last nibble.
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = ALPHABET.indexOf(char);
    if (index === -1) throw new Error(`not a Base32 character: ${char}`);
    buffer = (buffer << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}
