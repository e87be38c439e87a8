import type { RequestContext } from '../../pipeline/context.ts';

/** Path prefix of the website endpoint's path form. */
export const WEBSITE_PATH_PREFIX = '/_website/';

export interface S3Address {
  bucket?: string;
  key?: string;
  /** Host was <bucket>.s3-website.<region>.localhost */
  website: boolean;
  websiteRegion?: string;
}

/**
 * Where an S3 request points. Path-style: /bucket/key. Virtual-host-style:
 * Host bucket.localhost[:port] or bucket.s3.<anything> with /key as the path.
 * Website: Host <bucket>.s3-website.<region>.localhost[:port] or <bucket>.s3-website-<region>....
 */
export function s3Address(ctx: RequestContext): S3Address {
  const host = (ctx.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const path = ctx.rawPath;

  const website = /^(.+)\.s3-website[.-]([a-z0-9-]+)\./.exec(host);
  if (website) {
    return { bucket: website[1], key: decodeKey(path.slice(1)), website: true, websiteRegion: website[2] };
  }

  // The website endpoint for clients that cannot set Host: /_website/<bucket>/<key>
  // (bucket names cannot start with `_`, so no path-style request looks like this).
  if (path.startsWith(WEBSITE_PATH_PREFIX)) {
    const rest = path.slice(WEBSITE_PATH_PREFIX.length);
    const slash = rest.indexOf('/');
    const bucket = decodeKey(slash === -1 ? rest : rest.slice(0, slash));
    return { bucket, key: slash === -1 ? '' : decodeKey(rest.slice(slash + 1)), website: true };
  }

  const virtualHost = virtualHostBucket(host);
  if (virtualHost) {
    const key = path.length > 1 ? decodeKey(path.slice(1)) : undefined;
    return { bucket: virtualHost, key, website: false };
  }

  const slash = path.indexOf('/', 1);
  const bucket = decodeKey(slash === -1 ? path.slice(1) : path.slice(1, slash));
  const key = slash === -1 || slash === path.length - 1 ? undefined : decodeKey(path.slice(slash + 1));
  return { bucket: bucket || undefined, key, website: false };
}

function virtualHostBucket(host: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost' || host.startsWith('[')) return undefined;
  // bucket.s3.us-east-1.amazonaws.com style, or bucket.s3.localhost.localstack.cloud
  const s3Style = /^(.+?)\.s3[.-]/.exec(host);
  if (s3Style) return s3Style[1];
  if (host.endsWith('.localhost')) return host.slice(0, -'.localhost'.length);
  return undefined;
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
