import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeStudentEdition } from '../grader/student-edition.ts';

const USAGE = `Usage: npm run release -- --out DIR

Writes the student edition to DIR (new or empty): solutions in labs/ replaced by
"TODO n is not implemented yet" stubs; the emulator, the grader and the checks compiled
into minified bundles under runtime/ (no source of them, nor the lab 06 reference, ships);
hidden checks, fixtures/submissions and the instructors' docs left out.`;

const root = fileURLToPath(new URL('..', import.meta.url));

/** `TODO 1 (3 regions), 2`: each TODO once, with its number of solution regions when there are several. */
function describeStubs(todos: number[]): string {
  const counts = new Map<number, number>();
  for (const todo of todos) counts.set(todo, (counts.get(todo) ?? 0) + 1);
  const parts = [...counts].sort(([a], [b]) => a - b).map(([todo, n]) => (n > 1 ? `${todo} (${n} regions)` : String(todo)));
  return `TODO${parts.length > 1 ? 's' : ''} ${parts.join(', ')}`;
}

try {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help || !values.out) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
  } else {
    const { files, bundles } = await writeStudentEdition(root, values.out);
    const stubbed = files.filter((f) => f.todos.length > 0);
    for (const file of stubbed) console.log(`  ${file.path}: ${describeStubs(file.todos)} stubbed`);
    console.log(`  runtime: ${bundles.entries.length} entries bundled from ${bundles.sources.length} source files (${bundles.entries.join(', ')})`);
    console.log(`Student edition written to ${values.out}: ${files.length} files, ${stubbed.reduce((n, f) => n + f.todos.length, 0)} solutions replaced by stubs.`);
  }
} catch (error) {
  console.error(`release failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
