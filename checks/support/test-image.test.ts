import { inflateSync } from 'node:zlib';
import { crc32 } from '@aws-crypto/crc32';
import { describe, expect, it } from 'vitest';
import { solidPng } from './test-image.ts';

/** Reads a PNG's chunks back: type, data, and whether its CRC is right. */
function chunks(png: Buffer): Array<{ type: string; data: Buffer; crcOk: boolean }> {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('ascii');
    const data = png.subarray(at + 8, at + 8 + length);
    const crcOk = png.readUInt32BE(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length));
    out.push({ type, data, crcOk });
    at += 12 + length;
  }
  return out;
}

describe('solidPng', () => {
  it('writes a valid PNG of the asked size and colour', () => {
    const png = solidPng(7, 3, [10, 20, 30]);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(parts.every((c) => c.crcOk)).toBe(true);
    const header = parts[0]!.data;
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([7, 3, 8, 2]);
    const rows = inflateSync(parts[1]!.data);
    expect(rows.length).toBe(3 * (1 + 7 * 3));
    expect([...rows.subarray(0, 4)]).toEqual([0, 10, 20, 30]);
  });
});
