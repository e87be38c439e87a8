import { isIP } from 'node:net';

/**
 * CIDR matching for IpAddress / NotIpAddress. Both families are supported; an IPv4
 * address never matches an IPv6 range and vice versa (AWS compares within a family,
 * which is why a policy that must cover dual-stack clients lists both ranges).
 */
interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function ipToBigInt(address: string, family: 4 | 6): bigint | undefined {
  if (family === 4) {
    const octets = address.split('.').map(Number);
    return octets.reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
  }
  // Expand `::` and an embedded dotted-quad tail (::ffff:10.0.0.1).
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipToBigInt(dotted[1], 4) ?? 0n;
    text = text.slice(0, -dotted[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined && missing !== 0) return undefined;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
    return undefined;
  }
  const bits = ipToBigInt(address, family);
  return bits === undefined ? undefined : { family, bits, prefix };
}

export function ipInCidr(ip: string, cidrText: string): boolean {
  const range = parseCidr(cidrText);
  const family = isIP(ip.trim());
  if (!range || family !== range.family) return false;
  const value = ipToBigInt(ip.trim(), family);
  if (value === undefined) return false;
  const width = BigInt(family === 4 ? 32 : 128);
  const shift = width - BigInt(range.prefix);
  return value >> shift === range.bits >> shift;
}
