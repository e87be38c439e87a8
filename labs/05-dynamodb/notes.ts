import { readFileSync } from 'node:fs';

/** One note, as the lab stores it: `year` (a Number) is the partition key, `title` the sort key. */
export interface Note {
  year: number;
  title: string;
  author: string;
  body: string;
}

/** Reads the notes CSV (header `year,title,author,body`) into notes, years as numbers. */
export function readNotes(path: string | URL): Note[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const expected = ['year', 'title', 'author', 'body'];
  if (header?.join(',') !== expected.join(',')) throw new Error(`${String(path)}: the header must be ${expected.join(',')}, got ${header?.join(',')}`);
  return rows.map((row, index) => {
    const [year, title, author, body] = row;
    if (row.length !== 4 || !/^\d+$/.test(year!)) throw new Error(`${String(path)}: record ${index + 1} is not year,title,author,body: ${JSON.stringify(row)}`);
    return { year: Number(year), title: title!, author: author!, body: body! };
  });
}

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a quoted field may
 * hold commas, line breaks and doubled quotes (`""` is one `"`). A final line break
 * does not start an empty record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') endField();
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endField();
      records.push(record);
      record = [];
    } else field += char;
    i++;
  }
  if (quoted) throw new Error('the CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}
