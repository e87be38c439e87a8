/** What a lab's checks import: `import { check } from './support/index.ts'`. */
export { check } from './check.ts';
export type { CheckMeta, CheckOptions } from './check-meta.ts';
export { CheckContext } from './check-context.ts';
export { CheckFailure, show } from './failures.ts';
export { StudentError } from '../../grader/student-process.ts';
