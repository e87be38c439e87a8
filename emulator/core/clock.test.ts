import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.ts';

describe('Clock', () => {
  const T0 = Date.UTC(2030, 0, 1);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('runs with real time, moved by an offset', () => {
    const clock = new Clock();
    clock.advance(60);
    vi.setSystemTime(T0 + 5_000);
    expect(clock.nowMs()).toBe(T0 + 65_000);
  });

  it('stands still while frozen, moves only when advanced or set, and runs on from there when thawed', () => {
    const clock = new Clock();
    clock.advance(10);
    clock.freeze(true);
    vi.setSystemTime(T0 + 30_000);
    expect(clock.nowMs()).toBe(T0 + 10_000);
    clock.advance(1.5);
    expect(clock.nowMs()).toBe(T0 + 11_500);
    clock.set(new Date(T0 + 20_000));
    expect(clock.nowMs()).toBe(T0 + 20_000);
    clock.freeze(false);
    vi.setSystemTime(T0 + 31_000);
    expect(clock.nowMs()).toBe(T0 + 21_000);
  });

  it('is real time again, and not frozen, after a reset', () => {
    const clock = new Clock();
    clock.freeze(true);
    clock.advance(99);
    clock.reset();
    expect(clock.frozen).toBe(false);
    expect(clock.nowMs()).toBe(T0);
  });
});
