/**
 * A seeded random source both sides of the boundary can build: the check hands
 * `ctx.seededRandom()` to the student's code, which receives a synchronous
 * `() => number` in [0, 1) drawing a fixed sequence (so a run replays with its seed).
 * mulberry32: 32 bits of state, uniform enough for a lab's distribution checks.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
