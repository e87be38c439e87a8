import { describe, expect, it } from 'vitest';
import { totpCode } from './authenticator.ts';

// RFC 6238 appendix B's SHA-1 secret, "12345678901234567890", in Base32.
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totpCode', () => {
  it("gives the last six digits of RFC 6238's SHA-1 test vectors", () => {
    expect(totpCode(RFC_SEED, new Date(59_000))).toBe('287082');
    expect(totpCode(RFC_SEED, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SEED, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('keeps a code for a 30-second step and reads lower-case seeds', () => {
    expect(totpCode(RFC_SEED, new Date(30_000))).toBe(totpCode(RFC_SEED.toLowerCase(), new Date(59_999)));
    expect(() => totpCode('not base32!', new Date())).toThrow('not a Base32 character');
  });
});
