import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that grade whole labs (each a few processes for tens of seconds): they start
 * first, so the short unit tests fill the workers' last minutes instead of one long file
 * running on alone at the end. Vitest's own order on a fresh clone (no timings cached yet)
 * is largest file first, which put these small files last (CI, 2026-11-30: the last
 * 140 s of `npm test` ran self-validation files with one worker idle part of the time).
 */
const HEAVY = [/^test\/self-validation/, /^test\/student-edition\.test\.ts$/, /^grader\/batch\/grade-submission\.test\.ts$/, /^test\/lab-cli\.test\.ts$/];

/** The lab number in a self-validation file's name (higher labs have more to grade), else 0. */
function labNumber(path: string): number {
  return Number(/self-validation-(\d+)/.exec(path)?.[1] ?? 0);
}

/** `paths` (relative to the project root) with the heavy files first, the higher labs first among them; otherwise in the given order. */
export function heavyFirst(paths: string[]): string[] {
  const heavy = paths.filter((path) => HEAVY.some((pattern) => pattern.test(path)));
  const rest = paths.filter((path) => !heavy.includes(path));
  return [...heavy.sort((a, b) => labNumber(b) - labNumber(a)), ...rest];
}

export default class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const pathOf = (spec: TestSpecification) => relative(spec.project.config.root, spec.moduleId).split('\\').join('/');
    const byPath = new Map(sorted.map((spec) => [pathOf(spec), spec]));
    return heavyFirst([...byPath.keys()]).map((path) => byPath.get(path)!);
  }
}
