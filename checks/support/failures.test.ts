import { describe, expect, it } from 'vitest';
import { CheckFailure, explainFailure } from './failures.ts';

describe('explainFailure', () => {
  it('names the TODO and the file when the starter stub throws', () => {
    const error = new Error('TODO 3 is not implemented yet');
    error.stack = `Error: TODO 3 is not implemented yet\n    at createBucket (/work/labs/02-buckets/create-bucket.ts:31:9)\n    at check (/work/checks/x.ts:1:1)`;
    expect(explainFailure(error, '/work/labs/02-buckets').message).toBe(
      'TODO 3 is not implemented yet: the starter stub still throws (in create-bucket.ts:31). Replace the `throw` under the TODO 3 comment with your code.',
    );
  });

  it('reports AWS errors with their code and HTTP status', () => {
    const error = Object.assign(new Error('The specified location-constraint is not valid'), {
      name: 'InvalidLocationConstraint',
      $metadata: { httpStatusCode: 400 },
    });
    expect(explainFailure(error, '/x').message).toBe(
      'Your code got an AWS error it did not handle: InvalidLocationConstraint (HTTP 400): The specified location-constraint is not valid',
    );
  });

  it('keeps check failures and explains anything else', () => {
    const failure = CheckFailure.mismatch('The bucket region', 'eu-west-1', undefined);
    expect(explainFailure(failure, '/x')).toBe(failure);
    expect(failure.message).toBe('The bucket region\n  expected: "eu-west-1"\n  actual:   nothing (undefined)');
    expect(explainFailure(new TypeError('x is not a function'), '/x').message).toBe('Your code threw TypeError: x is not a function');
    expect(explainFailure('boom', '/x').message).toBe(`Your code threw "boom".`);
  });
});
