import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, readNotes } from './notes.ts';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes, and CRLF', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\n1,"line one\nline two"\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', 'line one\nline two'],
    ]);
  });

  it('keeps empty fields and a last record without a line break', () => {
    expect(parseCsv('a,,c\n,b,')).toEqual([
      ['a', '', 'c'],
      ['', 'b', ''],
    ]);
  });

  it('refuses a quote left open', () => {
    expect(() => parseCsv('a,"open\n')).toThrow('inside a quoted field');
  });
});

describe('readNotes', () => {
  const notes = readNotes(new URL('../../fixtures/notes.csv', import.meta.url));

  it('reads the 42 notes of the fixture with numeric years', () => {
    expect(notes).toHaveLength(42);
    expect(notes[0]).toEqual({ year: 2019, title: 'Lab log: IAM policies #51', author: 'Kim, Minji', body: 'Short note.' });
    expect(notes.every((note) => Number.isInteger(note.year))).toBe(true);
    expect(notes.find((note) => note.body.includes('\n'))?.body).toBe('Line one\nline two of a multi-line note');
    expect(notes.find((note) => note.body.includes('"'))?.body).toBe('Remember: "us-east-1" takes no LocationConstraint, every other region does.');
  });

  it('has one note per (year, title): the table key', () => {
    expect(new Set(notes.map((note) => `${note.year}/${note.title}`)).size).toBe(notes.length);
  });

  it('matches fixtures/notes.json, the copy the checks grade against', () => {
    const json = JSON.parse(readFileSync(new URL('../../fixtures/notes.json', import.meta.url), 'utf8')) as unknown;
    expect(json).toEqual(notes);
  });
});
