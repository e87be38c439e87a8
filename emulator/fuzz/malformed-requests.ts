import { createHash } from 'node:crypto';
import type { WireRequest } from './wire.ts';

/**
 * Seeded generators of malformed requests, one per category, for the fuzz suite. Each
 * case is a request and how to send it: signed as an SDK would and then broken
 * (signing first makes the malformation, not a missing signature, what is tested), or
 * as raw bytes for framing no HTTP client would produce. Tests only.
 */

export type Protocol = 's3' | 'json' | 'query';

export interface FuzzCase {
  category: string;
  /** What the case does, for a failure message. */
  label: string;
  protocol: Protocol;
  /** Sign with this service before `mutate` (undefined: send unsigned). */
  signAs?: 's3' | 'dynamodb' | 'iam' | 'sts';
  request: WireRequest;
  /** Changes the signed request (break a signature, add a header the signature does not cover). */
  mutate?: (signed: WireRequest) => WireRequest;
  /** Send as raw bytes (framing); the answer is read from the socket. */
  raw?: { bytes: Buffer; halfClose?: boolean };
}

export class Fuzz {
  constructor(readonly random: () => number) {}
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(256)));
  }
  /** Printable junk with the characters parsers trip on. */
  junk(length: number): string {
    const alphabet = 'abcXYZ019 <>&"\'=;:/\\?#%{}[],.-_~!*()\t';
    return Array.from({ length }, () => this.pick([...alphabet])).join('');
  }
}

export const FIXTURE = { bucket: 'fuzz-bucket', key: 'fuzz-object', table: 'FuzzTable' };

/** The S3 operations with an XML body, as (method, path). */
const XML_TARGETS: Array<[string, string]> = [
  ['PUT', `/${FIXTURE.bucket}?tagging`],
  ['PUT', `/${FIXTURE.bucket}?cors`],
  ['PUT', `/${FIXTURE.bucket}?website`],
  ['PUT', `/${FIXTURE.bucket}?publicAccessBlock`],
  ['POST', `/${FIXTURE.bucket}?delete`],
  ['POST', `/${FIXTURE.bucket}/${FIXTURE.key}?uploadId=nope`],
];

function xmlBodies(f: Fuzz): string[] {
  const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
  return [
    '',
    '<',
    '<Tagging><TagSet><Tag><Key>k</Key>',
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Tagging>&x;</Tagging>`,
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'x'.repeat(20_000)}"><!ENTITY b "&a;&a;&a;&a;&a;">]><Tagging>&b;&b;</Tagging>`,
    `<Tagging><__proto__><polluted>1</polluted></__proto__></Tagging>`,
    `<Delete><Object><Key>k</Key></Object><constructor>x</constructor></Delete>`,
    deep(5_000 + f.int(50_000)),
    `<Tagging>${'<TagSet>'.repeat(80)}</Tagging>`,
    f.bytes(64 + f.int(512)).toString('latin1'),
    `<Tagging><TagSet>${'<Tag><Key>k</Key><Value>v</Value></Tag>'.repeat(60)}</TagSet></Tagging>`,
    `<CORSConfiguration><CORSRule><AllowedMethod>BREW</AllowedMethod></CORSRule></CORSConfiguration>`,
    `<WebsiteConfiguration><IndexDocument><Suffix></Suffix></IndexDocument></WebsiteConfiguration>`,
    `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`,
    `<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>`,
    `<Tagging xmlns="${f.junk(20)}"><TagSet><Tag><Key>${f.junk(10)}</Key></Tag></TagSet></Tagging>`,
    `<?xml version="9.9" encoding="EBCDIC"?><Tagging/>`,
    `<Tagging attr="${f.junk(30)}"/>`,
    `<Tagging>\u0000\u0001</Tagging>`,
    `<Tagging><![CDATA[${f.junk(40)}]]></Tagging>`,
  ];
}

function md5(body: string | Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

export function xmlCases(f: Fuzz, count: number): FuzzCase[] {
  return Array.from({ length: count }, (_, i) => {
    const [method, path] = f.pick(XML_TARGETS);
    const body = f.pick(xmlBodies(f));
    // DeleteObjects needs a Content-MD5 (or a checksum): give it one half of the time.
    const headers: Record<string, string> = { 'content-type': 'application/xml' };
    if (f.int(2) === 0) headers['content-md5'] = md5(body);
    return { category: 'xml', label: `#${i} ${method} ${path} body ${JSON.stringify(body.slice(0, 60))}`, protocol: 's3', signAs: 's3', request: { method, path, headers, body } };
  });
}

function deepJson(f: Fuzz): unknown {
  let value: unknown = { S: 'x' };
  const levels = 33 + f.int(2_000);
  for (let i = 0; i < levels; i += 1) value = f.int(2) ? { M: { a: value } } : { L: [value] };
  return value;
}

export function jsonCases(f: Fuzz, count: number): FuzzCase[] {
  const table = FIXTURE.table;
  const bodies: Array<() => [string, string]> = [
    () => ['PutItem', '{'],
    () => ['PutItem', '[]'],
    () => ['PutItem', 'null'],
    () => ['PutItem', '"string"'],
    () => ['GetItem', f.bytes(40).toString('latin1')],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, v: deepJson(f) } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, v: null } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, v: {} } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 1 } } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a', N: '1' } } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { Q: 'a' } } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, n: { N: f.junk(8) } } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, s: { SS: [] } } })],
    () => ['PutItem', JSON.stringify({ TableName: table, Item: { k: { S: 'a' }, b: { B: f.junk(7) } } })],
    () => ['PutItem', JSON.stringify({ TableName: f.junk(f.int(300)), Item: { k: { S: 'a' } } })],
    () => ['PutItem', '{"TableName":"FuzzTable","Item":{"k":{"S":"a"},"__proto__":{"S":1}}}'],
    () => ['GetItem', JSON.stringify({ TableName: table, Key: null })],
    () => ['GetItem', JSON.stringify({ TableName: table, Key: [1, 2] })],
    () => ['GetItem', JSON.stringify({ TableName: table, Key: { k: { S: 'a' }, extra: { S: 'b' } } })],
    () => ['Query', JSON.stringify({ TableName: table, KeyConditionExpression: '('.repeat(3_000) + 'k = :v' + ')'.repeat(3_000), ExpressionAttributeValues: { ':v': { S: 'a' } } })],
    () => ['Query', JSON.stringify({ TableName: table, KeyConditionExpression: f.junk(30), ExpressionAttributeValues: { ':v': { S: 'a' } } })],
    () => ['Scan', JSON.stringify({ TableName: table, Limit: -1 })],
    () => ['Scan', JSON.stringify({ TableName: table, Limit: 1e308 })],
    () => ['Scan', JSON.stringify({ TableName: table, ExclusiveStartKey: { k: null } })],
    () => ['UpdateItem', JSON.stringify({ TableName: table, Key: { k: { S: 'a' } }, UpdateExpression: `SET ${f.junk(20)}` })],
    () => ['BatchWriteItem', JSON.stringify({ RequestItems: { [table]: [{ PutRequest: { Item: { k: null } } }] } })],
    () => ['BatchWriteItem', JSON.stringify({ RequestItems: { [table]: 'x' } })],
    () => ['BatchGetItem', JSON.stringify({ RequestItems: { [table]: { Keys: [{ k: { L: [null] } }] } } })],
    () => ['CreateTable', JSON.stringify({ TableName: 'tags-table', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', Tags: [{ S: 1 }] })],
    () => ['TagResource', JSON.stringify({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, Tags: [{ Key: null }] })],
    () => ['CreateTable', JSON.stringify({ TableName: table, KeySchema: 'x' })],
    () => ['NoSuchOperation', '{}'],
    () => [f.junk(12), '{}'],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [operation, body] = f.pick(bodies)();
    const target = f.int(20) === 0 ? f.pick(['DynamoDB_20120810', 'DynamoDB_99999999.PutItem', '.', 'DynamoDB_20120810.']) : `DynamoDB_20120810.${operation}`;
    return {
      category: 'json',
      label: `#${i} ${target} ${body.slice(0, 60)}`,
      protocol: 'json',
      signAs: 'dynamodb',
      request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body },
    };
  });
}

export function queryCases(f: Fuzz, count: number): FuzzCase[] {
  const forms: Array<() => string> = [
    () => 'Version=2010-05-08',
    () => `Action=${f.junk(10)}&Version=2010-05-08`,
    () => 'Action=&Version=2010-05-08',
    () => 'Action=CreateUser&Version=2010-05-08',
    () => `Action=CreateUser&UserName=${encodeURIComponent(f.junk(100))}&Version=2010-05-08`,
    () => 'Action=CreateUser&UserName=%zz&Version=2010-05-08',
    () => 'Action=CreateUser&Action=DeleteUser&UserName=a',
    () => `Action=PutUserPolicy&UserName=nobody&PolicyName=p&PolicyDocument=${encodeURIComponent(f.junk(200))}`,
    () => `Action=CreatePolicy&PolicyName=p&PolicyDocument=${encodeURIComponent('{"Statement":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}')}`,
    () => `Action=GetUser&UserName=${'a'.repeat(5_000)}`,
    () => `Action=AttachUserPolicy&UserName=a&PolicyArn=${encodeURIComponent(f.junk(30))}`,
    () => `Action=ListUsers&MaxItems=${f.pick(['-1', '0', 'abc', '1e400', '99999999999'])}`,
    () => `Action=ListUsers&Marker=${encodeURIComponent(f.junk(20))}`,
    () => `Action=CreateAccessKey&UserName=${f.junk(5)}`,
    () => f.bytes(60).toString('latin1'),
    () => `Action=GetUser&__proto__[x]=1&constructor=2`,
  ];
  const stsForms: Array<() => string> = [
    () => 'Version=2011-06-15',
    () => `Action=AssumeRole&RoleArn=${encodeURIComponent(f.junk(30))}&RoleSessionName=s`,
    () => `Action=AssumeRole&RoleArn=arn:aws:iam::000000000000:role/none&RoleSessionName=${f.junk(3)}&DurationSeconds=${f.pick(['-5', 'x', '99999999'])}`,
    () => `Action=DecodeAuthorizationMessage&EncodedMessage=${encodeURIComponent(f.junk(50))}`,
    () => `Action=GetSessionToken&SerialNumber=x&TokenCode=${f.junk(6)}`,
    () => `Action=GetCallerIdentity&Version=${f.junk(8)}`,
  ];
  return Array.from({ length: count }, (_, i) => {
    const sts = f.int(3) === 0;
    const body = sts ? f.pick(stsForms)() : f.pick(forms)();
    return {
      category: 'query',
      label: `#${i} ${sts ? 'sts' : 'iam'} ${body.slice(0, 60)}`,
      protocol: 'query',
      signAs: sts ? 'sts' : 'iam',
      request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
    };
  });
}

export function keyCases(f: Fuzz, count: number): FuzzCase[] {
  const keys: Array<() => string> = [
    () => 'a'.repeat(1025),
    () => encodeURIComponent('é'.repeat(600)),
    () => '%zz',
    () => '%',
    () => 'a%2',
    () => '%00',
    () => '%0D%0A',
    () => '..%2F..%2Fetc%2Fpasswd',
    () => '../../etc/passwd',
    () => '//double',
    () => `${encodeURIComponent(f.junk(40))}`,
    () => encodeURIComponent(f.bytes(30).toString('latin1')),
    () => '%F0%9F%98%80',
    () => '%ED%A0%80',
    () => '%C0%AF',
    () => '.',
    () => '..',
  ];
  const methods = ['GET', 'PUT', 'HEAD', 'DELETE'];
  return Array.from({ length: count }, (_, i) => {
    const method = f.pick(methods);
    const key = f.pick(keys)();
    const virtualHost = f.int(4) === 0;
    const path = virtualHost ? `/${key}` : `/${FIXTURE.bucket}/${key}`;
    const headers: Record<string, string> = virtualHost ? { host: `${FIXTURE.bucket}.s3.localhost` } : {};
    return {
      category: 'keys',
      label: `#${i} ${method} ${path.slice(0, 80)}${virtualHost ? ' (virtual host)' : ''}`,
      protocol: 's3',
      signAs: 's3',
      request: { method, path, headers, body: method === 'PUT' ? 'data' : undefined },
    };
  });
}

export function rangeCases(f: Fuzz, count: number): FuzzCase[] {
  const ranges = ['bytes=abc', 'bytes=5-1', 'bytes=99999999999-', 'bytes=0-0,2-3', 'bytes=-0', 'bytes=--1', 'items=0-1', 'bytes=', 'bytes=1e3-2e3', `bytes=${f.junk(6)}`];
  const conditions: Array<() => Record<string, string>> = [
    () => ({ 'if-match': f.junk(12) }),
    () => ({ 'if-none-match': f.junk(12) }),
    () => ({ 'if-match': '"nope"' }),
    () => ({ 'if-none-match': '*' }),
    () => ({ 'if-modified-since': f.junk(20) }),
    () => ({ 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }),
    () => ({ 'if-modified-since': 'Fri, 31 Dec 9999 23:59:59 GMT' }),
    () => ({ 'if-match': '*', 'if-none-match': '*' }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const headers: Record<string, string> = {};
    if (f.int(3) !== 0) headers.range = f.pick(ranges);
    if (f.int(2) === 0) Object.assign(headers, f.pick(conditions)());
    const method = f.pick(['GET', 'HEAD', 'PUT']);
    return {
      category: 'range/conditional',
      label: `#${i} ${method} ${JSON.stringify(headers)}`,
      protocol: 's3',
      signAs: 's3',
      request: { method, path: `/${FIXTURE.bucket}/${method === 'PUT' ? `cond-${f.int(20)}` : FIXTURE.key}`, headers, body: method === 'PUT' ? 'x' : undefined },
    };
  });
}

export function authCases(f: Fuzz, count: number): FuzzCase[] {
  const breakers: Array<[string, (signed: WireRequest) => WireRequest]> = [
    ['no Authorization', (r) => withHeaders(r, { authorization: undefined })],
    ['junk Authorization', (r) => withHeaders(r, { authorization: f.junk(40) })],
    ['other algorithm', (r) => withHeaders(r, { authorization: r.headers!.authorization!.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1') })],
    ['flipped signature', (r) => withHeaders(r, { authorization: r.headers!.authorization!.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`) })],
    ['unknown key', (r) => withHeaders(r, { authorization: r.headers!.authorization!.replace('Credential=test', 'Credential=AKIANOTAKEY000000000') })],
    ['bad scope', (r) => withHeaders(r, { authorization: r.headers!.authorization!.replace(/\/aws4_request/, '/aws5_request') })],
    ['no SignedHeaders', (r) => withHeaders(r, { authorization: r.headers!.authorization!.replace(/SignedHeaders=[^,]*,/, '') })],
    ['bad x-amz-date', (r) => withHeaders(r, { 'x-amz-date': f.pick(['2024', 'yesterday', '99999999T999999Z', '']) })],
    ['no x-amz-date', (r) => withHeaders(r, { 'x-amz-date': undefined })],
    ['ancient x-amz-date', (r) => withHeaders(r, { 'x-amz-date': '19990101T000000Z' })],
    ['junk session token', (r) => withHeaders(r, { 'x-amz-security-token': f.junk(30) })],
    ['bad content hash', (r) => withHeaders(r, { 'x-amz-content-sha256': f.pick(['abc', 'STREAMING-NOPE', '0'.repeat(64)]) })],
    ['duplicate Authorization', (r) => withHeaders(r, { authorization: `${r.headers!.authorization}, ${r.headers!.authorization}` })],
    ['Credential with slashes only', (r) => withHeaders(r, { authorization: 'AWS4-HMAC-SHA256 Credential=////, SignedHeaders=host, Signature=00' })],
  ];
  const targets: Array<Pick<FuzzCase, 'protocol' | 'signAs' | 'request'>> = [
    { protocol: 's3', signAs: 's3', request: { method: 'GET', path: `/${FIXTURE.bucket}/${FIXTURE.key}` } },
    { protocol: 's3', signAs: 's3', request: { method: 'PUT', path: `/${FIXTURE.bucket}/auth-put`, body: 'payload' } },
    { protocol: 's3', signAs: 's3', request: { method: 'GET', path: '/' } },
    { protocol: 'json', signAs: 'dynamodb', request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' } },
    { protocol: 'query', signAs: 'sts', request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' } },
    { protocol: 'query', signAs: 'iam', request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' } },
  ];
  return Array.from({ length: count }, (_, i) => {
    const target = f.pick(targets);
    const [name, mutate] = f.pick(breakers);
    // Some cases break only what the signature does not cover: then the answer may be a success.
    return { category: 'auth', label: `#${i} ${name} on ${target.request.method} ${target.request.path} (${target.signAs})`, ...target, mutate };
  });
}

export function presignedCases(f: Fuzz, count: number, presign: (path: string) => string): FuzzCase[] {
  const breakers: Array<[string, (url: URL) => void]> = [
    ['negative expiry', (u) => u.searchParams.set('X-Amz-Expires', '-1')],
    ['expiry over 7 days', (u) => u.searchParams.set('X-Amz-Expires', '604801')],
    ['junk expiry', (u) => u.searchParams.set('X-Amz-Expires', f.junk(4))],
    ['junk date', (u) => u.searchParams.set('X-Amz-Date', f.junk(16))],
    ['old date', (u) => u.searchParams.set('X-Amz-Date', '20000101T000000Z')],
    ['junk credential', (u) => u.searchParams.set('X-Amz-Credential', f.junk(20))],
    ['junk signature', (u) => u.searchParams.set('X-Amz-Signature', f.junk(64))],
    ['no signature', (u) => u.searchParams.delete('X-Amz-Signature')],
    ['no algorithm', (u) => u.searchParams.delete('X-Amz-Algorithm')],
    ['other algorithm', (u) => u.searchParams.set('X-Amz-Algorithm', 'AWS4-ECDSA-P256-SHA256')],
    ['junk signed headers', (u) => u.searchParams.set('X-Amz-SignedHeaders', f.junk(10))],
    ['duplicate signature', (u) => u.searchParams.append('X-Amz-Signature', '0'.repeat(64))],
    ['changed key', (u) => (u.pathname = `${u.pathname}x`)],
    ['added parameter', (u) => u.searchParams.set('response-content-type', 'text/evil')],
    ['junk security token', (u) => u.searchParams.set('X-Amz-Security-Token', f.junk(20))],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [name, mutate] = f.pick(breakers);
    const url = new URL(presign(`/${FIXTURE.bucket}/${FIXTURE.key}`), 'http://127.0.0.1');
    mutate(url);
    return { category: 'presigned', label: `#${i} ${name}`, protocol: 's3', request: { method: f.pick(['GET', 'HEAD', 'PUT']), path: `${url.pathname}${url.search}` } };
  });
}

export function chunkedCases(f: Fuzz, count: number): FuzzCase[] {
  const bodies: Array<() => [string, string]> = [
    () => ['zz\r\nabc\r\n0\r\n\r\n', 'bad chunk size'],
    () => ['5\r\nab\r\n0\r\n\r\n', 'chunk shorter than its size'],
    () => ['3\r\nabcdef\r\n0\r\n\r\n', 'chunk longer than its size'],
    () => ['3\r\nabc0\r\n\r\n', 'missing CRLF after data'],
    () => ['3\r\nabc\r\n', 'no final chunk'],
    () => ['ffffffffffff\r\nabc\r\n0\r\n\r\n', 'huge chunk size'],
    () => ['3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n', 'wrong trailer checksum'],
    () => ['3\r\nabc\r\n0\r\nx-amz-checksum-crc32:\r\n\r\n', 'empty trailer checksum'],
    () => ['3\r\nabc\r\n0\r\nnot a trailer\r\n\r\n', 'malformed trailer'],
    () => ['3;chunk-signature=00\r\nabc\r\n0;chunk-signature=00\r\n\r\n', 'chunk signatures on an unsigned stream'],
    () => [f.bytes(50).toString('latin1'), 'random bytes'],
    () => ['', 'empty body'],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [body, name] = f.pick(bodies)();
    const headers: Record<string, string> = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': f.pick(['STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER']),
      'x-amz-decoded-content-length': f.pick(['3', '0', '-1', 'abc', '99999999999']),
      'x-amz-trailer': f.pick(['x-amz-checksum-crc32', 'x-amz-checksum-nope', '']),
    };
    return {
      category: 'aws-chunked',
      label: `#${i} ${name} ${JSON.stringify(headers)}`,
      protocol: 's3',
      signAs: 's3',
      request: { method: 'PUT', path: `/${FIXTURE.bucket}/chunked-${f.int(10)}`, headers, body },
    };
  });
}

/** Framing no HTTP library would send: answered by the server's clientError path or the pipeline. */
export function framingCases(f: Fuzz, count: number): FuzzCase[] {
  const host = 'Host: 127.0.0.1\r\n';
  const builders: Array<() => [string, Buffer, boolean?]> = [
    () => ['duplicate Content-Length', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`)],
    () => ['junk Content-Length', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Content-Length: ${f.pick(['abc', '-1', '1e3', '0x10', ' '])}\r\n\r\n`)],
    () => ['Content-Length with Transfer-Encoding', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`)],
    () => ['unsupported Transfer-Encoding', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Transfer-Encoding: ${f.pick(['gzip, chunked, gzip', 'chunked, gzip', 'identity, chunked, identity'])}\r\n\r\n`)],
    () => ['bad chunked body', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`)],
    () => ['header section over 16 KiB', Buffer.from(`GET / HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(17_000 + f.int(10_000))}\r\n\r\n`)],
    () => ['control character in a header', Buffer.from(`GET / HTTP/1.1\r\n${host}X-Bad: a\u0001b\r\n\r\n`)],
    () => ['bad method token', Buffer.from(`G(T / HTTP/1.1\r\n${host}\r\n`)],
    () => ['unknown method', Buffer.from(`${f.pick(['BREW', 'PROPFIND', 'PATCH', 'TRACE'])} /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)],
    () => ['bad request line', Buffer.from(`${f.junk(30)}\r\n\r\n`)],
    () => ['HTTP/2 preface on HTTP/1', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
    () => ['random bytes', f.bytes(200)],
    () => ['body cut short, then half-closed', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Content-Length: 100\r\n\r\nabc`), true],
    () => ['space before colon', Buffer.from(`GET / HTTP/1.1\r\nHost : x\r\n\r\n`)],
    () => ['obsolete line folding', Buffer.from(`GET / HTTP/1.1\r\n${host}X-A: a\r\n b\r\n\r\n`)],
    () => ['unknown Expect', Buffer.from(`PUT /${FIXTURE.bucket}/k HTTP/1.1\r\n${host}Expect: ${f.junk(8)}\r\nContent-Length: 1\r\nConnection: close\r\n\r\na`)],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [name, bytes, halfClose] = f.pick(builders)();
    return { category: 'framing', label: `#${i} ${name}`, protocol: 's3', request: { method: 'RAW', path: '' }, raw: { bytes, halfClose } };
  });
}

function withHeaders(request: WireRequest, changes: Record<string, string | undefined>): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (!(name.toLowerCase() in changes)) headers[name] = value;
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) headers[name] = value;
  return { ...request, headers };
}
