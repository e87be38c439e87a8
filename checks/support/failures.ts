import { inspect } from 'node:util';

/**
 * A failed check, in a student's words: what was expected, what happened. The lab
 * runner shows `message` under the check with its hint.
 */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }

  static mismatch(what: string, expected: unknown, actual: unknown): CheckFailure {
    return new CheckFailure(`${what}\n  expected: ${show(expected)}\n  actual:   ${show(actual)}`);
  }
}

/** Short, readable rendering of a value for a failure message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (typeof value === 'string') return JSON.stringify(value);
  return inspect(value, { depth: 4, breakLength: 100, compact: 3 });
}

const NOT_IMPLEMENTED = /TODO (\d+) is not implemented yet/;

/**
 * Turns whatever a check's body threw into a CheckFailure a student can act on:
 * the starter's stub, an AWS error their code got back, or any other exception.
 */
export function explainFailure(error: unknown, submissionDir: string): CheckFailure {
  if (error instanceof CheckFailure) return error;
  if (!(error instanceof Error)) return new CheckFailure(`Your code threw ${show(error)}.`);

  const stub = NOT_IMPLEMENTED.exec(error.message);
  if (stub) {
    const file = fileInStack(error, submissionDir);
    return new CheckFailure(
      `TODO ${stub[1]} is not implemented yet: the starter stub still throws${file ? ` (in ${file})` : ''}. ` +
        `Replace the \`throw\` under the TODO ${stub[1]} comment with your code.`,
    );
  }

  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined) {
    return new CheckFailure(`Your code got an AWS error it did not handle: ${error.name} (HTTP ${status}): ${error.message}`);
  }
  return new CheckFailure(`Your code threw ${error.name}: ${error.message}`);
}

/** The first stack frame in the student's folder, as a relative path (e.g. create-bucket.ts:31). */
function fileInStack(error: Error, submissionDir: string): string | undefined {
  const prefix = submissionDir.endsWith('/') ? submissionDir : `${submissionDir}/`;
  for (const line of (error.stack ?? '').split('\n')) {
    const at = line.indexOf(prefix);
    if (at === -1) continue;
    const match = /^([^:)]+):(\d+)/.exec(line.slice(at + prefix.length));
    if (match) return `${match[1]}:${match[2]}`;
  }
  return undefined;
}
