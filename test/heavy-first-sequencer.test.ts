import { describe, expect, it } from 'vitest';
import { heavyFirst } from './heavy-first-sequencer.ts';

describe('heavyFirst', () => {
  it('puts the files that grade whole labs first, the higher labs first, and keeps the rest in order', () => {
    const given = ['emulator/server.test.ts', 'test/self-validation-03-objects.test.ts', 'grader/labs.test.ts', 'test/student-edition.test.ts', 'test/self-validation-11-web-storage.test.ts', 'test/self-validation.test.ts', 'backends/moto.test.ts'];
    expect(heavyFirst(given)).toEqual([
      'test/self-validation-11-web-storage.test.ts',
      'test/self-validation-03-objects.test.ts',
      'test/student-edition.test.ts',
      'test/self-validation.test.ts',
      'emulator/server.test.ts',
      'grader/labs.test.ts',
      'backends/moto.test.ts',
    ]);
  });
});
