/**
 * CSV -> JSON, the course's convertToJSON: the header row names the fields, every
 * other row becomes one object, and the list is written as JSON indented by 4 spaces
 * (Python's `json.dumps(jsonList, indent=4)`). Every value stays a string.
 */
export function convertToJson(input: string): string {
  const [keys, ...records] = parseCsv(input);
  if (!keys) return '[]';
  const list = records.map((fields, index) => {
    if (fields.length !== keys.length) {
      throw new Error(`CSV record ${index + 1} has ${fields.length} fields but the header has ${keys.length}: ${JSON.stringify(fields)}`);
    }
    return Object.fromEntries(keys.map((key, x) => [key, fields[x]]));
  });
  return JSON.stringify(list, null, 4);
}

/**
 * TODO 8: Split CSV text into records, each a list of fields, the RFC 4180 way.
 *
 * The course's script splits the text on '\n' before its CSV reader sees it, and a
 * plain `line.split(',')` is worse still. Real CSV (Excel's, the notes.csv of this
 * lab) breaks both:
 * - a field with a comma, a quote or a line break is quoted: `"Kim, Minji"`;
 * - a quote inside a quoted field is doubled: `"say ""hi"""` is `say "hi"`;
 * - a quoted field may span lines: the line break belongs to the field;
 * - any field may be quoted, `"2019"` is just `2019`;
 * - records end with '\n' or '\r\n' (Windows, and RFC 4180 itself);
 * - a line break after the last record ends it, it does not start an empty one, and an
 *   empty line is no record at all.
 *
 * Read the text one character at a time, remembering whether you are inside quotes.
 * No library needed: it is a dozen lines.
 */
export function parseCsv(text: string): string[][] {
  // BEGIN SOLUTION TODO 8
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  // Whether anything (even a lone comma or "") has been read since the last line break:
  // a line with nothing on it is no record.
  let lineHasContent = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    if (lineHasContent) {
      endField();
      records.push(fields);
    }
    fields = [];
    field = '';
    lineHasContent = false;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inQuotes) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
      continue;
    }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      continue;
    }
    lineHasContent = true;
    if (char === ',') endField();
    // A quote opens a quoted field only at the start of a field; elsewhere it is text.
    else if (char === '"' && field === '') inQuotes = true;
    else field += char;
  }
  if (inQuotes) throw new Error('The CSV ends inside a quoted field: a closing " is missing.');
  endRecord();
  return records;
  // END SOLUTION
}
