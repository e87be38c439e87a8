import { expect, it } from 'vitest';
import { memberLine, memberLines, otherLines } from './group-job.ts';

it("hands each member its own lines only, even when one student's name begins another's", () => {
  const output = [memberLine('ann', '02-buckets: 13/13'), memberLine('ann lee', '02-buckets: 0/13'), 'vitest said something\n', memberLine('a"b', '02-buckets: 8/13')].join('');
  expect(memberLines(output, 'ann')).toEqual(['02-buckets: 13/13']);
  expect(memberLines(output, 'ann lee')).toEqual(['02-buckets: 0/13']);
  expect(memberLines(output, 'a"b')).toEqual(['02-buckets: 8/13']);
  expect(otherLines(output, ['ann', 'ann lee', 'a"b'])).toEqual(['vitest said something']);
});
