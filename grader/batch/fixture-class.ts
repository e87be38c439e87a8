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
  /** Check names that fail; "all": every check fails as the starter's stub; "every": every check fails, whatever the message. */
  failing: string[] | 'all' | 'every';
  /** Texts the failures must contain (`a|b`: either). `__INSTRUCTOR_ROOT__` stands for the project root. */
  messages: string[];
  /** An attack graded only where the batch can give each submission a user of its own (see submission-sandbox.ts). */
  needsRootSandbox?: boolean;
  /** What an adversarial submission tries (fixtures/class/attack-*). */
  attack?: string;
}

/** Adversarial fixtures name the instructor's tree by its real path, the worst case: a student who knows where it is. */
export const ROOT_PLACEHOLDER = '__INSTRUCTOR_ROOT__';
const withRoot = (text: string) => text.split(ROOT_PLACEHOLDER).join(root.replace(/\/$/, ''));

export function readClass(): ClassFixture[] {
  return readdirSync(CLASS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const expected = JSON.parse(readFileSync(join(CLASS_DIR, entry.name, 'expected.json'), 'utf8')) as Omit<ClassFixture, 'student' | 'messages'> & { messages?: string[] };
      return { student: entry.name, ...expected, messages: (expected.messages ?? []).map(withRoot) };
    })
    .sort((a, b) => a.student.localeCompare(b.student));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Writes the class to `dir` (one folder per student) and returns the fixtures; `include` picks some. */
export function buildClass(dir: string, include: (fixture: ClassFixture) => boolean = () => true): ClassFixture[] {
  const starter = planStudentEdition(root).filter((file) => file.path.startsWith(`labs/${LAB}/`));
  const fixtures = readClass().filter(include);
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
      writeFileSync(target, withRoot(readFileSync(file, 'utf8')));
    }
  }
  return fixtures;
}
