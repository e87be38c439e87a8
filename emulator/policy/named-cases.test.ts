import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NAMED_CASES } from '../../fixtures/policy/named-cases.ts';
import { evaluate } from './evaluate.ts';

describe('policy evaluation: named cases from the AWS documentation', () => {
  it.each(NAMED_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = evaluate(c.request, c.policies);
    expect(result.decision, c.source).toBe(c.expected);
    if (c.expectedDetail) expect(result).toMatchObject(c.expectedDetail);
  });

  it('docs/policy-engine.md quotes the real number of named cases', () => {
    expect(NAMED_CASES.length).toBeGreaterThanOrEqual(40);
    const page = readFileSync(new URL('../../docs/policy-engine.md', import.meta.url), 'utf8');
    expect(page).toContain(`Named cases: ${NAMED_CASES.length}`);
  });
});
