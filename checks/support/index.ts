/** What a lab's checks import: `import { check } from './support/index.ts'`. */
export { check, type CheckOptions, type CheckMeta } from './check.ts';
export { CheckContext } from './check-context.ts';
export { CheckFailure, show } from './failures.ts';
