import { describe, expect, it } from 'vitest';
import { SolutionMarkerError, stripSolutions } from './solution-markers.ts';

const lines = (...text: string[]) => text.join('\n');

describe('stripSolutions', () => {
  it('replaces a region with a stub indented like the marker, taking n from the comment above', () => {
    const source = lines(
      'export function f(): number {',
      '  // TODO 3: return the answer.',
      '  // Hint: it is 42.',
      '  // BEGIN SOLUTION',
      '  const answer = 42;',
      '  return answer;',
      '  // END SOLUTION',
      '}',
    );
    expect(stripSolutions(source, 'f.ts')).toEqual({
      text: lines(
        'export function f(): number {',
        '  // TODO 3: return the answer.',
        '  // Hint: it is 42.',
        "  throw new Error('TODO 3 is not implemented yet');",
        '}',
      ),
      todos: [3],
    });
  });

  it('takes n from the marker argument first', () => {
    const source = lines('// TODO 1', '    // BEGIN SOLUTION TODO 4', 'x();', '    // END SOLUTION');
    expect(stripSolutions(source, 'f.ts')).toEqual({
      text: lines('// TODO 1', "    throw new Error('TODO 4 is not implemented yet');"),
      todos: [4],
    });
  });

  it('handles several regions and leaves code without markers alone', () => {
    const source = lines('a();', '// TODO 1', '// BEGIN SOLUTION', 'b();', '// END SOLUTION', 'c();', '// TODO 2', '// BEGIN SOLUTION', 'd();', '// END SOLUTION');
    const result = stripSolutions(source, 'f.ts');
    expect(result.todos).toEqual([1, 2]);
    expect(result.text).toBe(
      lines('a();', '// TODO 1', "throw new Error('TODO 1 is not implemented yet');", 'c();', '// TODO 2', "throw new Error('TODO 2 is not implemented yet');"),
    );
    expect(stripSolutions('const x = 1;\n', 'g.ts')).toEqual({ text: 'const x = 1;\n', todos: [] });
  });

  it('only treats whole-line comments as markers', () => {
    const source = "const s = '// BEGIN SOLUTION';\n";
    expect(stripSolutions(source, 'f.ts').todos).toEqual([]);
  });

  it('does not look for the TODO number past the comment block above', () => {
    const source = lines('// TODO 1', 'code();', '// BEGIN SOLUTION', 'x();', '// END SOLUTION');
    expect(() => stripSolutions(source, 'lab/f.ts')).toThrow('lab/f.ts:3: cannot tell which TODO');
  });

  it.each([
    ['nested regions', lines('// BEGIN SOLUTION TODO 1', '// BEGIN SOLUTION TODO 2', '// END SOLUTION', '// END SOLUTION'), 'f.ts:2: BEGIN SOLUTION inside the region opened at line 1'],
    ['an END without BEGIN', lines('x();', '// END SOLUTION'), 'f.ts:2: END SOLUTION without a BEGIN SOLUTION'],
    ['a BEGIN never closed', lines('x();', '// BEGIN SOLUTION TODO 1', 'y();'), 'f.ts:2: BEGIN SOLUTION is never closed'],
  ])('fails on %s with file:line', (_name, source, message) => {
    expect(() => stripSolutions(source, 'f.ts')).toThrow(SolutionMarkerError);
    expect(() => stripSolutions(source, 'f.ts')).toThrow(message);
  });
});
