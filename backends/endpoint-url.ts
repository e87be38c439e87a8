import { isIP } from 'node:net';

/**
 * The guard of DESIGN §5: the harness talks to an emulator, never to real AWS.
 * A user-given endpoint must be loopback, or explicitly allowed as remote; an
 * AWS host is refused even then, because no emulator lives there.
 */

/** AWS service domains: *.amazonaws.com, China's *.amazonaws.com.cn, dual-stack *.api.aws. */
const AWS_HOST = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/i;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/** The validated URL, or an Error whose message says what to do instead. */
export function checkEndpointUrl(raw: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`endpoint ${JSON.stringify(raw)} is not a URL: give one like http://127.0.0.1:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`endpoint ${raw} must be http:// or https://`);
  }
  if (AWS_HOST.test(url.hostname)) {
    throw new Error(`refusing endpoint ${raw}: it is real AWS, and these labs only ever run against an emulator`);
  }
  if (!isLoopbackHost(url.hostname) && !allowRemote) {
    throw new Error(
      `refusing endpoint ${raw}: it is not on this machine (loopback). If it is an emulator you run elsewhere, pass --allow-remote-endpoint`,
    );
  }
  return url;
}
