/**
 * Solution markers, nbgrader style: in a lab's code, the lines between
 *
 *     // BEGIN SOLUTION            (or `// BEGIN SOLUTION TODO 3`)
 *     ...
 *     // END SOLUTION
 *
 * are the solution. The student edition replaces each region with a stub that throws
 * `new Error('TODO n is not implemented yet')`, indented like the marker. The TODO
 * number comes from the marker's argument, else from a `TODO n` in the comment lines
 * right above the marker. Markers must be whole-line `//` comments; nested or
 * unbalanced markers are errors that name the file and line.
 */
const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\b(.*)$/;
const END = /^\s*\/\/\s*END SOLUTION\b/;
const TODO_NUMBER = /\bTODO\s+(\d+)\b/;
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;

export class SolutionMarkerError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'SolutionMarkerError';
  }
}

export interface StrippedSource {
  text: string;
  /** The TODO number of each region, in order. */
  todos: number[];
}

export function stubFor(todo: number): string {
  return `throw new Error('TODO ${todo} is not implemented yet');`;
}

/** Replaces every solution region of one file with its stub. `file` only labels errors. */
export function stripSolutions(source: string, file: string): StrippedSource {
  const lines = source.split('\n');
  const out: string[] = [];
  const todos: number[] = [];
  let open: { line: number; indent: string; todo: number } | undefined;

  lines.forEach((text, index) => {
    const lineNumber = index + 1;
    const begin = BEGIN.exec(text);
    if (begin) {
      if (open) throw new SolutionMarkerError(file, lineNumber, `BEGIN SOLUTION inside the region opened at line ${open.line} (regions cannot nest)`);
      const todo = todoNumber(begin[2] ?? '', lines, index);
      if (todo === undefined) {
        throw new SolutionMarkerError(
          file,
          lineNumber,
          'cannot tell which TODO this solution belongs to: write `// BEGIN SOLUTION TODO n` or put a `TODO n` comment right above it',
        );
      }
      open = { line: lineNumber, indent: begin[1] ?? '', todo };
      return;
    }
    if (END.test(text)) {
      if (!open) throw new SolutionMarkerError(file, lineNumber, 'END SOLUTION without a BEGIN SOLUTION before it');
      out.push(`${open.indent}${stubFor(open.todo)}`);
      todos.push(open.todo);
      open = undefined;
      return;
    }
    if (!open) out.push(text);
  });

  if (open) throw new SolutionMarkerError(file, open.line, 'BEGIN SOLUTION is never closed by END SOLUTION');
  return { text: out.join('\n'), todos };
}

/** The marker's own `TODO n`, else the nearest `TODO n` in the comment block right above it. */
function todoNumber(markerArgument: string, lines: string[], beginIndex: number): number | undefined {
  const own = TODO_NUMBER.exec(markerArgument);
  if (own) return Number(own[1]);
  for (let i = beginIndex - 1; i >= 0 && COMMENT_LINE.test(lines[i]!); i--) {
    const found = TODO_NUMBER.exec(lines[i]!);
    if (found) return Number(found[1]);
  }
  return undefined;
}
