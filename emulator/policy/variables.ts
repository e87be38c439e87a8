import { LITERAL_QUESTION, LITERAL_STAR } from './wildcard.ts';
import type { RequestContext } from './request-context.ts';

/**
 * Policy variables (IAM User Guide, "IAM policy elements: Variables and tags").
 *
 * `${aws:username}` is replaced by the request-context value of that key, `${key, 'default'}`
 * falls back to the default, and `${*}`, `${?}`, `${$}` stand for the literal characters
 * (so a Resource can name an object whose key really contains `*`). Variables are only
 * recognised in policies whose Version is 2012-10-17; in older policies `${...}` is text.
 *
 * A variable whose key is missing (or multivalued) and has no default makes the value
 * unable to match anything ("If there is no value ... the policy element does not match",
 * section "Specifying a default value" / "No value").
 */
const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,]+?)\s*,\s*'([^']*)'\s*$/;

/** Returns the value with variables substituted, or undefined when a variable cannot be resolved. */
export function substituteVariables(value: string, context: RequestContext): string | undefined {
  if (!value.includes('${')) return value;
  let unresolved = false;
  const result = value.replace(VARIABLE, (_whole, inner: string) => {
    if (inner === '*') return LITERAL_STAR;
    if (inner === '?') return LITERAL_QUESTION;
    if (inner === '$') return '$';
    const withDefault = WITH_DEFAULT.exec(inner);
    const key = (withDefault ? withDefault[1] : inner).trim();
    const resolved = context.single(key) ?? withDefault?.[2];
    if (resolved === undefined) {
      unresolved = true;
      return '';
    }
    // A substituted value is data, not a pattern: its own `*`/`?` match only themselves.
    return resolved.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
  });
  return unresolved ? undefined : result;
}
