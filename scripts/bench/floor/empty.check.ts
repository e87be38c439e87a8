import { test } from 'vitest';

// The lab runner's floor (run-empty.ts): one check that does nothing.
test('nothing', () => undefined);
