/**
 * Builds the fixture class (fixtures/class) as `npm run grade` finds a real one: one
 * folder per student holding labs/02-buckets, the instructor's solution or the
 * generated starter with the student's files laid over it.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planStudentEdition } from '../student-edition.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLASS_DIR = join(root, 'fixtures/class');
export const LAB = '02-buckets';

export interface ClassFixture {
  student: string;
  base: 'solution' | 'starter';
  score: number;
  /** Check names that fail, or "all". */
  failing: string[] | 'all';
  messages: string[];
}

export function readClass(): ClassFixture[] {
  return readdirSync(CLASS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const expected = JSON.parse(readFileSync(join(CLASS_DIR, entry.name, 'expected.json'), 'utf8')) as Omit<ClassFixture, 'student' | 'messages'> & { messages?: string[] };
      return { student: entry.name, ...expected, messages: expected.messages ?? [] };
    })
    .sort((a, b) => a.student.localeCompare(b.student));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Writes the class to `dir` (one folder per student) and returns the fixtures. */
export function buildClass(dir: string): ClassFixture[] {
  const starter = planStudentEdition(root).filter((file) => file.path.startsWith(`labs/${LAB}/`));
  const fixtures = readClass();
  for (const fixture of fixtures) {
    const labDir = join(dir, fixture.student, 'labs', LAB);
    if (fixture.base === 'solution') cpSync(join(root, 'labs', LAB), labDir, { recursive: true });
    for (const file of fixture.base === 'starter' ? starter : []) {
      mkdirSync(dirname(join(dir, fixture.student, file.path)), { recursive: true });
      writeFileSync(join(dir, fixture.student, file.path), file.text);
    }
    const overlay = join(CLASS_DIR, fixture.student, 'labs');
    for (const file of readdirSync(join(CLASS_DIR, fixture.student)).includes('labs') ? filesUnder(overlay) : []) {
      const target = join(dir, fixture.student, 'labs', relative(overlay, file));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(file, target);
    }
  }
  return fixtures;
}
