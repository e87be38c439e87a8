import { createHash } from 'node:crypto';
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';

/** The flexible-checksum algorithms the SDK sends (x-amz-checksum-<algorithm>). */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

/** An incremental checksum, so streamed bodies need not be held in memory. */
export interface Checksummer {
  update(data: Buffer): void;
  /** base64 of the big-endian digest, as in the x-amz-checksum-* headers. */
  digest(): string;
}

export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      return crcChecksummer(new Crc32());
    case 'CRC32C':
      return crcChecksummer(new Crc32c());
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (data) => void hash.update(data), digest: () => hash.digest('base64') };
    }
  }
}

export function checksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const summer = createChecksummer(algorithm);
  summer.update(data);
  return summer.digest();
}

/** `x-amz-checksum-crc32c` -> CRC32C; undefined for anything else. */
export function algorithmFromHeader(headerName: string): ChecksumAlgorithm | undefined {
  const match = /^x-amz-checksum-(crc32c|crc32|sha1|sha256)$/i.exec(headerName);
  return match ? (match[1]!.toUpperCase() as ChecksumAlgorithm) : undefined;
}

function crcChecksummer(crc: { update(data: Uint8Array): unknown; digest(): number }): Checksummer {
  return {
    update: (data) => void crc.update(data),
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc.digest() >>> 0);
      return out.toString('base64');
    },
  };
}
