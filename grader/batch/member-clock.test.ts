import { expect, it } from 'vitest';
import { MemberClock } from './member-clock.ts';

it("adds up each member's check times, the running check included, from start/end events", () => {
  let now = 0;
  const clock = new MemberClock(2, () => now);
  clock.onEvent({ event: 'start', todo: 1, name: 'a', submission: 0 });
  now = 1_500;
  clock.onEvent({ event: 'end', todo: 1, name: 'a', status: 'passed', submission: 0 });
  now = 2_000;
  clock.onEvent({ event: 'start', todo: 1, name: 'a', submission: 1 });
  now = 5_000;
  expect([clock.seconds(0), clock.seconds(1)]).toEqual([1.5, 3]);
  clock.stop(1);
  now = 9_000;
  expect(clock.seconds(1)).toBe(3);
});

it('counts a run of one submission (events without a submission index) as member 0', () => {
  let now = 0;
  const clock = new MemberClock(1, () => now);
  clock.onEvent({ event: 'start', todo: 2, name: 'b' });
  now = 250;
  clock.onEvent({ event: 'end', todo: 2, name: 'b', status: 'failed' });
  expect(clock.seconds(0)).toBe(0.25);
});
