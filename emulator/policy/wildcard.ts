/**
 * IAM's glob: `*` matches any run of characters (including none), `?` exactly one.
 * Nothing else is special, so every other regex metacharacter is escaped.
 * Patterns repeat a lot (the same policy is evaluated for every request), so the
 * compiled expressions are cached.
 */
/**
 * Placeholders for the policy-variable escapes `${*}` and `${?}`: after variable
 * substitution they stand for a literal `*` / `?` that must not act as a wildcard.
 * Private-use code points, so they cannot collide with real policy text.
 */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

/** The text a pattern stands for when it is compared literally (StringEquals). */
export function literalText(pattern: string): string {
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 5_000;

export function wildcardToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === LITERAL_STAR) source += '\\*';
    else if (char === LITERAL_QUESTION) source += '\\?';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  // `s`: `.` must match newlines too, a context value may contain one.
  const compiled = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, compiled);
  return compiled;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const literal = literalText(pattern);
    return ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return wildcardToRegExp(pattern, ignoreCase).test(value);
}
