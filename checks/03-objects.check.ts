/**
 * Lab 03 (objects and metadata): graded on what S3 holds afterwards (HeadObject for the
 * content type and metadata, GetObject for the exact bytes) and on the JSON the
 * conversion produces from CSV drawn at random from fixtures/notes.csv, with the
 * tricky fields (commas, quotes, line breaks) each check is about.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { check, type CheckContext } from './support/index.ts';

type UploadModule = typeof import('../labs/03-objects/upload-object.ts');
type GetCsvModule = typeof import('../labs/03-objects/get-csv-file.ts');
type PutObjectModule = typeof import('../labs/03-objects/put-object.ts');
type ConvertModule = typeof import('../labs/03-objects/convert-to-json.ts');

// --- inputs ------------------------------------------------------------------------------

/** User metadata S3 gives back as is: lower-case ASCII names, ASCII values. */
function randomMetadata(ctx: CheckContext): Record<string, string> {
  return { [`note-${ctx.random.suffix(4)}`]: ctx.random.suffix(12), course: `dev-${ctx.random.suffix(3)}` };
}

const MULTIBYTE = ['메모', '한글 노트', '✓ done', 'naïve café', '🚀 launch', 'Ωmega'];

/** Text with multi-byte UTF-8 characters, about `bytes` long. */
function multibyteText(ctx: CheckContext, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = `${ctx.random.pick(MULTIBYTE)} ${ctx.random.suffix(ctx.random.int(1, 6))}\n`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join('');
}

/**
 * About `bytes` of text in which almost every byte belongs to a multi-byte character
 * (Hangul syllables: 3 bytes; emoji: 4), one newline per 40 characters. A 1 MB body
 * reaches the student's code in some 16 socket-sized chunks whose boundaries fall at
 * offsets nobody chooses; with ordinary text about a third of those offsets land
 * inside a character, so a decoder that goes chunk by chunk could slip through
 * (1 seed in ~1,000 did). Here about 70% of offsets split a character, so across 16
 * boundaries the chance that none does is below 1e-8.
 */
function denselyMultibyteText(ctx: CheckContext, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = '';
    for (let i = 0; i < 40; i++) {
      line += ctx.random.int(0, 9) === 0
        ? String.fromCodePoint(0x1f600 + ctx.random.int(0, 0x4f)) // emoji (U+1F600..U+1F64F), 4 bytes in UTF-8
        : String.fromCodePoint(0xac00 + ctx.random.int(0, 11171)); // a Hangul syllable (U+AC00..U+D7A3), 3 bytes
    }
    lines.push(`${line}\n`);
    size += Buffer.byteLength(line) + 1;
  }
  return lines.join('');
}

/** Where two texts first differ, in a student's words (they may be a megabyte long). */
function describeDifference(actual: string, expected: string): string {
  let at = 0;
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 10), at + 20));
  return `${actual.length} characters instead of ${expected.length}; they first differ at character ${at}: expected ${around(expected)}, got ${around(actual)}`;
}

// --- CSV from the course's notes -----------------------------------------------------------

const HEADER = ['year', 'title', 'author', 'body'] as const;
type Note = Record<(typeof HEADER)[number], string>;

/**
 * The notes in fixtures/notes.csv, read with a tokenizer of the harness's own (a regular
 * expression, not the lab's parser): each match is one field and the separator after it.
 */
function readNotes(): Note[] {
  const text = readFileSync(new URL('../fixtures/notes.csv', import.meta.url), 'utf8');
  const field = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r\n|\n|$)/g;
  const records: string[][] = [];
  let fields: string[] = [];
  for (let match = field.exec(text); match; match = field.exec(text)) {
    fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!);
    if (match[3] === ',') continue;
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
    fields = [];
    if (match[3] === '') break;
  }
  const [header, ...rows] = records;
  if (JSON.stringify(header) !== JSON.stringify(HEADER)) throw new Error(`fixtures/notes.csv: unexpected header ${JSON.stringify(header)}`);
  return rows.map((row) => Object.fromEntries(HEADER.map((name, i) => [name, row[i]!])) as Note);
}

const NOTES = readNotes();

/** `count` notes drawn from the fixture, each field passed through `clean`. */
function sampleNotes(ctx: CheckContext, count: number, clean: (value: string) => string): Note[] {
  return Array.from({ length: count }, () => {
    const note = ctx.random.pick(NOTES);
    return { year: clean(note.year), title: clean(note.title), author: clean(note.author), body: clean(note.body) };
  });
}

function shuffle<T>(ctx: CheckContext, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = ctx.random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Takes out what a check is not about, so each check tests one CSV rule. */
const without = (pattern: RegExp) => (value: string) => value.replace(pattern, ' ').replace(/ +/g, ' ').trim();
const PLAIN = without(/[",\r\n]/g);

interface CsvLayout {
  eol?: string;
  /** Whether the text ends with a line break after the last record. */
  trailingEol?: boolean;
  /** Also quote this share of the fields that need no quotes (any field may be quoted). */
  quoteShare?: number;
  /** Empty lines to put between records. */
  emptyLines?: number;
}

/** RFC 4180 CSV of the header and the notes. */
function writeCsv(ctx: CheckContext, notes: Note[], layout: CsvLayout = {}): string {
  const eol = layout.eol ?? '\n';
  const quote = (value: string) =>
    /[",\r\n]/.test(value) || ctx.random.next() < (layout.quoteShare ?? 0) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [HEADER.join(','), ...notes.map((note) => HEADER.map((name) => quote(note[name])).join(','))];
  for (let i = 0; i < (layout.emptyLines ?? 0); i++) lines.splice(ctx.random.int(2, lines.length - 1), 0, '');
  return lines.join(eol) + (layout.trailingEol ? eol : '');
}

/** Runs the student's convertToJson on `csv` and compares with the course's JSON of `notes`. */
async function expectConversion(ctx: CheckContext, csv: string, notes: Note[], about: string): Promise<void> {
  const { convertToJson } = await ctx.load<ConvertModule>('convert-to-json.ts');
  const actual = await convertToJson(csv);
  if (typeof actual !== 'string') ctx.fail(`convertToJson(csv) should return the JSON as a string, it returned ${typeof actual}.`);
  const expected = JSON.stringify(notes, null, 4);
  if (actual === expected) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(actual);
  } catch {
    ctx.fail(`convertToJson(csv) did not return JSON for ${about}: ${describeDifference(actual, expected)}`);
  }
  if (!Array.isArray(parsed)) ctx.fail(`convertToJson(csv) should return a JSON array of notes, got ${actual.slice(0, 80)}`);
  ctx.expectEqual(parsed.length, notes.length, `Notes in the JSON of ${about} (the CSV:\n${csv}\n)`);
  const index = notes.findIndex((note, i) => JSON.stringify(parsed[i]) !== JSON.stringify(note));
  if (index === -1) ctx.fail(`The JSON of ${about} has the right notes but not the course's layout (JSON.stringify(list, null, 4)): ${describeDifference(actual, expected)}`);
  ctx.expectEqual(parsed[index], notes[index], `Note ${index + 1} of ${about} (its CSV record is ${JSON.stringify(writeCsv(ctx, [notes[index]!]).split('\n').slice(1).join('\n'))})`);
}

// --- TODO 5: upload a file ---------------------------------------------------------------

async function uploadRandomFile(ctx: CheckContext): Promise<{ bucket: string; key: string; bytes: Buffer; contentType: string; metadata: Record<string, string> }> {
  const bucket = await ctx.createBucket();
  // Under ctx.tempDir(): the one place the student's process may read (the grader removes it).
  const file = join(await ctx.tempDir('lab03'), `notes-${ctx.random.suffix(6)}.csv`);
  const bytes = Buffer.from(writeCsv(ctx, sampleNotes(ctx, ctx.random.int(3, 8), (v) => v), { trailingEol: true }) + multibyteText(ctx, 64));
  writeFileSync(file, bytes);
  const key = `uploads/${ctx.random.suffix(6)}.csv`;
  // Never plain text/csv, the course's value: a hard-coded content type fails.
  const contentType = ctx.random.pick(['text/csv; charset=utf-8', 'application/vnd.ms-excel', 'text/comma-separated-values']);
  const metadata = randomMetadata(ctx);
  const { uploadObject } = await ctx.load<UploadModule>('upload-object.ts');
  await uploadObject(ctx.s3(), bucket, file, key, contentType, metadata);
  return { bucket, key, bytes, contentType, metadata };
}

async function headObject(ctx: CheckContext, bucket: string, key: string) {
  try {
    return await ctx.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return ctx.fail(`There is no object s3://${bucket}/${key} (HeadObject answered ${status}). Use the bucket and key you are given.`);
  }
}

async function objectBytes(ctx: CheckContext, bucket: string, key: string): Promise<Buffer> {
  await headObject(ctx, bucket, key);
  const { Body } = await ctx.s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

check(
  {
    todo: 5,
    name: "uploads the file's exact bytes under the key given",
    points: 2,
    hint: 'A file can be bigger than memory: stream it to S3 instead of reading it whole. lib-storage\'s Upload takes a stream as Body and sends it in parts when it is big.',
    recipe: 'const upload = new Upload({ client, params: { Bucket, Key, Body: createReadStream(fileName), ContentType, Metadata } }); await upload.done();',
  },
  async (ctx) => {
    const { bucket, key, bytes } = await uploadRandomFile(ctx);
    const stored = await objectBytes(ctx, bucket, key);
    ctx.expectTrue(stored.equals(bytes), `s3://${bucket}/${key} is not the file you were given: ${describeDifference(stored.toString(), bytes.toString())}`);
  },
);

check(
  {
    todo: 5,
    name: "sets the uploaded file's content type",
    points: 1,
    hint: 'S3 stores only the content type it is sent: without one, every object is application/octet-stream whatever its name says.',
    recipe: 'Add `ContentType: contentType` to the upload\'s params.',
  },
  async (ctx) => {
    const { bucket, key, contentType } = await uploadRandomFile(ctx);
    const head = await headObject(ctx, bucket, key);
    ctx.expectEqual(head.ContentType, contentType, `The Content-Type of s3://${bucket}/${key}`);
  },
);

check(
  {
    todo: 5,
    name: "stores the uploaded file's user metadata",
    points: 1,
    hint: 'User metadata travels with the upload (S3 keeps each entry as an x-amz-meta-<name> header); it cannot be added to an object afterwards without copying it.',
    recipe: 'Add `Metadata: metadata` to the upload\'s params.',
  },
  async (ctx) => {
    const { bucket, key, metadata } = await uploadRandomFile(ctx);
    const head = await headObject(ctx, bucket, key);
    ctx.expectEqual(head.Metadata ?? {}, metadata, `The user metadata of s3://${bucket}/${key}`);
  },
);

// --- TODO 6: download into memory ---------------------------------------------------------

async function downloadCheck(ctx: CheckContext, text: string): Promise<void> {
  const bucket = await ctx.createBucket();
  const key = `notes-${ctx.random.suffix(6)}.csv`;
  await ctx.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'text/csv' }));
  const { getCsvFile } = await ctx.load<GetCsvModule>('get-csv-file.ts');
  const actual = await getCsvFile(ctx.s3(), bucket, key);
  ctx.expectTrue(typeof actual === 'string', `getCsvFile should return the text as a string, it returned ${typeof actual}.`);
  ctx.expectTrue(actual === text, `The text of s3://${bucket}/${key} (${Buffer.byteLength(text)} bytes of UTF-8): ${describeDifference(actual, text)}`);
}

check(
  {
    todo: 6,
    name: "returns the object's text, multi-byte UTF-8 characters included",
    points: 2,
    hint: 'GetObject\'s Body is a stream of bytes, not text: it has to be read to the end and decoded as UTF-8. The SDK\'s Body has a helper for that.',
    recipe: 'const { Body } = await client.send(new GetObjectCommand({ Bucket, Key })); return Body.transformToString();',
  },
  async (ctx) => downloadCheck(ctx, multibyteText(ctx, 300)),
);

check(
  {
    todo: 6,
    name: 'returns a large object (1 MB) whole, with no character split between chunks',
    points: 1,
    hint: 'A big Body arrives in many chunks, and a chunk can end in the middle of a character: collect all the bytes, then decode once (transformToString does).',
  },
  async (ctx) => downloadCheck(ctx, denselyMultibyteText(ctx, 1024 * 1024)),
);

// --- TODO 7: put the JSON object ------------------------------------------------------------

async function putRandomObject(ctx: CheckContext): Promise<{ bucket: string; key: string; data: string; contentType: string; metadata: Record<string, string> }> {
  const bucket = await ctx.createBucket();
  const key = `converted/${ctx.random.suffix(6)}.json`;
  const data = JSON.stringify(sampleNotes(ctx, ctx.random.int(2, 5), (v) => v).map((n) => ({ ...n, tag: ctx.random.pick(MULTIBYTE) })), null, 4);
  // Never plain application/json, the course's value: a hard-coded content type fails.
  const contentType = ctx.random.pick(['application/json; charset=utf-8', 'application/ld+json', 'text/json']);
  const metadata = randomMetadata(ctx);
  const { createObject } = await ctx.load<PutObjectModule>('put-object.ts');
  await createObject(ctx.s3(), bucket, key, data, contentType, metadata);
  return { bucket, key, data, contentType, metadata };
}

check(
  {
    todo: 7,
    name: 'puts the data as the exact content of the key given',
    points: 2,
    hint: 'The data is already in memory, so there is no file to stream: one plain S3 write of the whole object does it.',
    recipe: 'await client.send(new PutObjectCommand({ Bucket, Key, Body: data, ContentType: contentType, Metadata: metadata }))',
  },
  async (ctx) => {
    const { bucket, key, data } = await putRandomObject(ctx);
    const stored = (await objectBytes(ctx, bucket, key)).toString('utf8');
    ctx.expectTrue(stored === data, `The content of s3://${bucket}/${key}: ${describeDifference(stored, data)}`);
  },
);

check(
  {
    todo: 7,
    name: "sets the JSON object's content type",
    points: 1,
    hint: 'Browsers and tools go by the content type S3 serves, and S3 serves the one it was given with the object.',
    recipe: 'Pass `ContentType: contentType` to PutObject.',
  },
  async (ctx) => {
    const { bucket, key, contentType } = await putRandomObject(ctx);
    const head = await headObject(ctx, bucket, key);
    ctx.expectEqual(head.ContentType, contentType, `The Content-Type of s3://${bucket}/${key}`);
  },
);

check(
  {
    todo: 7,
    name: "stores the JSON object's user metadata",
    points: 1,
    hint: 'A new object has only the metadata sent with it; nothing carries over from the CSV.',
    recipe: 'Pass `Metadata: metadata` to PutObject too.',
  },
  async (ctx) => {
    const { bucket, key, metadata } = await putRandomObject(ctx);
    const head = await headObject(ctx, bucket, key);
    ctx.expectEqual(head.Metadata ?? {}, metadata, `The user metadata of s3://${bucket}/${key}`);
  },
);

// --- TODO 8: CSV the RFC 4180 way -------------------------------------------------------------

check(
  {
    todo: 8,
    name: 'converts simple CSV (no quotes) to the course JSON',
    points: 1,
    hint: 'Split the text into records at line breaks and each record into fields at commas; convertToJson does the rest.',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), PLAIN);
    await expectConversion(ctx, writeCsv(ctx, notes), notes, 'CSV without quoted fields');
  },
);

check(
  {
    todo: 8,
    name: 'keeps commas inside quoted fields',
    points: 2,
    hint: 'Inside quotes a comma is text, not a field separator: remember whether you are between quotes as you read.',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), without(/["\r\n]/g)).map((note) => ({ ...note, title: `${note.title}, part ${ctx.random.int(1, 9)}` }));
    await expectConversion(ctx, writeCsv(ctx, notes), notes, 'CSV with commas in quoted fields ("Kim, Minji")');
  },
);

check(
  {
    todo: 8,
    name: 'removes the enclosing quotes and turns "" into "',
    points: 1,
    hint: 'A quoted field\'s quotes are not part of its value, and inside it "" stands for one ". Any field may be quoted, even "2019".',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), without(/[,\r\n]/g)).map((note) => ({ ...note, body: `${note.body} "${ctx.random.suffix(5)}"` }));
    await expectConversion(ctx, writeCsv(ctx, notes, { quoteShare: 0.4 }), notes, 'CSV with quoted fields and doubled quotes');
  },
);

check(
  {
    todo: 8,
    name: 'keeps line breaks inside quoted fields',
    points: 2,
    hint: 'A line break between quotes belongs to the field: do not split the text into lines before you know where the quotes are.',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), without(/[",]/g)).map((note) => ({ ...note, body: `${note.body}\nline ${ctx.random.int(2, 9)}: ${ctx.random.suffix(6)}` }));
    await expectConversion(ctx, writeCsv(ctx, notes), notes, 'CSV with multi-line notes');
  },
);

check(
  {
    todo: 8,
    name: 'skips empty lines and the line break after the last record',
    points: 1,
    hint: 'A file usually ends with a line break: it ends the last record, it does not start an empty one. A line with nothing on it is no record either.',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), PLAIN);
    await expectConversion(ctx, writeCsv(ctx, notes, { trailingEol: true, emptyLines: 1 }), notes, 'CSV with an empty line and a final line break');
  },
);

check(
  {
    todo: 8,
    name: 'reads Windows (CRLF) line endings',
    points: 1,
    hint: 'RFC 4180 (and Excel) end records with \\r\\n: treat \\r\\n as one line break, or the \\r sticks to the last field.',
  },
  async (ctx) => {
    const notes = sampleNotes(ctx, ctx.random.int(3, 7), PLAIN);
    await expectConversion(ctx, writeCsv(ctx, notes, { eol: '\r\n' }), notes, 'CSV with \\r\\n line endings');
  },
);

check(
  {
    todo: 8,
    name: "converts a random sample of the course's notes.csv, every rule at once",
    points: 1,
    hint: 'Real files mix everything: quoted commas, doubled quotes, multi-line notes, a final line break. Handle each rule in one pass over the characters.',
  },
  async (ctx) => {
    // At least one note of each tricky kind, wherever the draw puts them.
    const tricky = [/,/, /"/, /\n/].map((pattern) => ctx.random.pick(NOTES.filter((note) => pattern.test(note.title + note.author + note.body))));
    const notes = shuffle(ctx, [...sampleNotes(ctx, ctx.random.int(6, 12), (v) => v), ...tricky]).map((note) =>
      ctx.random.next() < 0.3 ? { ...note, body: `${note.body} ${ctx.random.pick(MULTIBYTE)}` } : note,
    );
    await expectConversion(ctx, writeCsv(ctx, notes, { trailingEol: true, quoteShare: 0.2 }), notes, 'notes drawn from notes.csv');
  },
);
