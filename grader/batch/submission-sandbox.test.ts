import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { claimUsers, FIRST_UID, USERS_PER_BATCH } from './submission-sandbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'users-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('gives two batches on one machine blocks of users that do not overlap, and a released block to the next batch', () => {
  const first = claimUsers(16, dir);
  const second = claimUsers(16, dir);
  expect(first.first).toBe(FIRST_UID);
  expect(second.first).toBe(FIRST_UID + USERS_PER_BATCH);
  expect(readFileSync(join(dir, '0.lock'), 'utf8')).toBe(String(process.pid));
  first.release();
  const third = claimUsers(16, dir);
  expect(third.first).toBe(FIRST_UID);
  second.release();
  third.release();
});

it('takes over the block of a batch that was killed before it could release it', () => {
  // A pid no process has (Linux's pid_max is at most 2^22).
  writeFileSync(join(dir, '0.lock'), String(2 ** 23));
  const claimed = claimUsers(1, dir);
  expect(claimed.first).toBe(FIRST_UID);
  claimed.release();
});

it('refuses a batch larger than a block, pointing at shards', () => {
  expect(() => claimUsers(USERS_PER_BATCH + 1, dir)).toThrow('--shard');
});

it('leaves a dead batch\'s block to the batch already taking it over, and takes the next one', () => {
  writeFileSync(join(dir, '0.lock'), String(2 ** 23));
  mkdirSync(join(dir, '0.lock.takeover'));
  const claimed = claimUsers(1, dir);
  expect(claimed.first).toBe(FIRST_UID + USERS_PER_BATCH);
  claimed.release();
  rmSync(join(dir, '0.lock.takeover'), { recursive: true });
  rmSync(join(dir, '0.lock'));
});

it('refuses a lock folder that others may write to (its locks would not be trustworthy)', () => {
  const open = mkdtempSync(join(tmpdir(), 'users-open-'));
  chmodSync(open, 0o777);
  expect(() => claimUsers(1, open)).toThrow('others cannot write to');
  rmSync(open, { recursive: true, force: true });
});
