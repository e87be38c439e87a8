import type { ConditionValues } from './types.ts';

/**
 * The request context with condition keys folded to lower case: AWS matches
 * condition keys case-insensitively (`aws:SourceIp` = `AWS:sourceip`), values
 * case-sensitively unless the operator says otherwise.
 */
export class RequestContext {
  private readonly values = new Map<string, ConditionValues>();

  constructor(context: Record<string, ConditionValues>) {
    for (const [key, value] of Object.entries(context)) this.values.set(key.toLowerCase(), value);
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  /** All values of a key: a single-valued key gives one, a multivalued key (a list) gives its members. */
  list(key: string): string[] | undefined {
    const value = this.values.get(key.toLowerCase());
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value : [value];
  }

  /** The value of a single-valued key; undefined when missing or multivalued (policy variables need one value). */
  single(key: string): string | undefined {
    const value = this.values.get(key.toLowerCase());
    return typeof value === 'string' ? value : undefined;
  }
}
