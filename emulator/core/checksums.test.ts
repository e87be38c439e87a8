import { describe, expect, it } from 'vitest';
import { algorithmFromHeader, checksum, createChecksummer } from './checksums.ts';

// Reference values: the digests of "hello world" as AWS documents and the SDK computes them.
describe('checksums', () => {
  const data = Buffer.from('hello world');

  it.each([
    ['CRC32', 'DUoRhQ=='],
    ['CRC32C', 'yZRlqg=='],
    ['SHA1', 'Kq5sNclPz7QV2+lfQIuc6R7oRu0='],
    ['SHA256', 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek='],
  ] as const)('%s of "hello world" is %s', (algorithm, expected) => {
    expect(checksum(algorithm, data)).toBe(expected);
  });

  it('gives the same digest when fed in pieces', () => {
    const summer = createChecksummer('CRC32C');
    summer.update(data.subarray(0, 4));
    summer.update(data.subarray(4));
    expect(summer.digest()).toBe(checksum('CRC32C', data));
  });

  it('names the algorithm of a checksum header', () => {
    expect(algorithmFromHeader('x-amz-checksum-crc32c')).toBe('CRC32C');
    expect(algorithmFromHeader('x-amz-checksum-sha256')).toBe('SHA256');
    expect(algorithmFromHeader('x-amz-checksum-algorithm')).toBeUndefined();
  });
});
