import { describe, expect, it } from 'vitest';
import { parseStatement } from './partiql-parser.ts';

describe('the PartiQL parser', () => {
  it('reads a SELECT with a projection of document paths, an index and a WHERE', () => {
    const statement = parseStatement(`select a.b[0], "c d" from "Music"."by-artist" where Artist = ? and (n > 1 or not begins_with(t, 'x'))`);
    expect(statement).toMatchObject({
      kind: 'select',
      table: 'Music',
      index: 'by-artist',
      projection: [
        { kind: 'path', steps: ['a', 'b', 0] },
        { kind: 'path', steps: ['c d'] },
      ],
      where: {
        kind: 'and',
        left: { kind: 'compare', op: '=', left: { kind: 'path', steps: ['Artist'] }, right: { kind: 'param', index: 0 } },
        right: { kind: 'or', right: { kind: 'not', operand: { kind: 'function', name: 'begins_with' } } },
      },
      parameterCount: 1,
    });
  });

  it('accepts comments, a final semicolon and doubled quotes', () => {
    const statement = parseStatement(`-- a note\nINSERT /* inline */ INTO "Mu""sic" VALUE {'it''s': 'o''k', 'n': -1.5e3};`);
    expect(statement).toMatchObject({
      kind: 'insert',
      table: 'Mu"sic',
      item: { kind: 'map', entries: [["it's", { kind: 'string', value: "o'k" }], ['n', { kind: 'number', text: '-1.5e3' }]] },
    });
  });

  it('reads UPDATE clauses and RETURNING', () => {
    expect(parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c WHERE k = 1 RETURNING MODIFIED OLD *`)).toMatchObject({
      kind: 'update',
      actions: [
        { kind: 'set', value: { kind: 'arithmetic', op: '+' } },
        { kind: 'set', value: { kind: 'call', name: 'list_append' } },
        { kind: 'remove', path: { steps: ['c'] } },
      ],
      returning: 'UPDATED_OLD',
    });
  });

  it('takes a reserved word as a name only in double quotes', () => {
    for (const text of [`SELECT * FROM Notes WHERE year = 2024`, `SELECT * FROM Notes WHERE pad = 'none'`, `SELECT user FROM Notes`]) {
      expect(() => parseStatement(text), text).toThrow(/^Statement wasn't well formed, can't be processed: Unexpected keyword (YEAR|PAD|USER)/);
    }
    expect(parseStatement(`SELECT "user" FROM Notes WHERE "year" = 2024 AND "pad" = 'none'`)).toMatchObject({ kind: 'select', projection: [{ steps: ['user'] }] });
  });

  it('bounds nesting, so no statement of 8 KB can exhaust the stack', () => {
    expect(() => parseStatement(`SELECT * FROM t WHERE ${'('.repeat(2000)}a = 1${')'.repeat(2000)}`)).toThrow(/nests deeper than 64 levels/);
    expect(() => parseStatement(`INSERT INTO t VALUE {'a': ${'['.repeat(2000)}${']'.repeat(2000)}}`)).toThrow(/nests deeper than 64 levels/);
    expect(() => parseStatement(`SELECT * FROM t WHERE ${'NOT '.repeat(1500)}a = 1`)).toThrow(/nests deeper than 64 levels/);
  });

  it('refuses what is not one statement of this dialect, in AWS wording', () => {
    for (const text of ['', 'UPSERT INTO t VALUE {}', 'SELECT * FROM t; SELECT * FROM u', 'SELECT * FROM t WHERE a =', "SELECT * FROM t WHERE a = 'x", 'SELECT * FROM value']) {
      expect(() => parseStatement(text), text).toThrow(/^Statement wasn't well formed, can't be processed: /);
    }
  });
});
