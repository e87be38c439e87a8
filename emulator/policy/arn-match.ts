import { wildcardMatch } from './wildcard.ts';

/**
 * ARN matching as the Resource element and ArnLike/ArnEquals do it: the six
 * colon-separated components (arn, partition, service, region, account, resource)
 * are compared one by one, case-sensitively, each with `*`/`?` wildcards. A wildcard
 * in the first five components stays inside its component; in the resource
 * component `*` also matches `:` and `/` (arn:aws:s3:::bucket/* covers every key,
 * whatever it contains).
 */
function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  parts.push(rest);
  return parts;
}

export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const target = splitArn(arn);
  let wanted = splitArn(pattern);
  if (!wanted && /[*?]/.test(pattern)) {
    // A short pattern with a wildcard (arn:aws:s3:*) stands for the remaining components as `*`.
    const parts = pattern.split(':');
    while (parts.length < 6) parts.push('*');
    wanted = parts;
  }
  if (!wanted || !target) return wildcardMatch(pattern, arn);
  return wanted.every((segment, index) => wildcardMatch(segment, target[index]));
}
