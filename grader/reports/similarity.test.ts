/**
 * The similarity flag on a small lab 02 class built from the real starter: two students
 * with the same code (one renamed and reformatted) flag each other, a copy of the
 * solution flags the reference, two independent answers and an untouched starter do not.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../batch/fixture-class.ts';
import { stripSolutions, stubFor } from '../solution-markers.ts';
import { normalisedTokens, ownTokens } from './code-fingerprint.ts';
import { compareClass, isFlagged, REFERENCE, toSimilarityCsv, toSimilarityMarkdown } from './similarity.ts';

const LAB = '02-buckets';
const workDir = join(root, '.work', `similarity-${process.pid}`);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const labDir = join(root, 'labs', LAB);
const starter = (file: string) => stripSolutions(readFileSync(join(labDir, file), 'utf8'), file).text;

/** The starter with TODO stubs replaced by the student's code. */
type Answers = Partial<Record<'s3-client.ts' | 'head-bucket.ts' | 'create-bucket.ts' | 'wait-for-bucket.ts', [number, string]>>;

function writeStudent(submissions: string, student: string, files: Record<string, string>): void {
  const dir = join(submissions, student, 'labs', LAB);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(labDir)) writeFileSync(join(dir, file), file.endsWith('.ts') ? starter(file) : readFileSync(join(labDir, file)));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
}

function answer(answers: Answers): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).map(([file, [todo, code]]) => [file, starter(file).replace(stubFor(todo), code)]));
}

const independentA: Answers = {
  's3-client.ts': [1, 'const client = new S3Client({ maxAttempts: maxAttempts });\n  return client;'],
  'head-bucket.ts': [
    2,
    `let statusCode: number | undefined;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err: any) {
    statusCode = err?.$metadata?.httpStatusCode;
    if (statusCode === 404) {
      return 'available';
    } else if (statusCode === 403) {
      return 'owned-by-another-account';
    }
    throw err;
  }
  return 'owned-by-you';`,
  ],
  'create-bucket.ts': [
    3,
    `const region = await client.config.region();
  const params: CreateBucketCommandInput = region === 'us-east-1' ? { Bucket: name } : { Bucket: name, CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
  const response = await client.send(new CreateBucketCommand(params));
  console.log(\`created \${response.Location}\`);`,
  ],
  'wait-for-bucket.ts': [
    4,
    `const result = await waitUntilBucketExists({ maxWaitTime: 30, minDelay: 1, client }, { Bucket: bucket });
  if (result.state !== 'SUCCESS') throw new Error(\`bucket \${bucket} did not appear\`);`,
  ],
};

// The same code as A, names changed, comments added, lines broken differently.
const renamedA: Answers = {
  's3-client.ts': [1, '// the SDK reads the rest from the environment\n  const s3 = new S3Client({\n    maxAttempts: maxAttempts,\n  });\n  return s3;'],
  'head-bucket.ts': [
    2,
    `let code: number | undefined;
  try { await client.send(new HeadBucketCommand({ Bucket: bucket })); }
  catch (e: any) {
    /* HEAD has no body: the status is all we get */
    code = e?.$metadata?.httpStatusCode;
    if (code === 404) { return 'available'; }
    else if (code === 403) { return 'owned-by-another-account'; }
    throw e;
  }
  return 'owned-by-you';`,
  ],
  'create-bucket.ts': [
    3,
    `const r = await client.config.region();
  const input: CreateBucketCommandInput = r === 'us-east-1'
    ? { Bucket: name }
    : { Bucket: name, CreateBucketConfiguration: { LocationConstraint: r as BucketLocationConstraint } };
  const out = await client.send(new CreateBucketCommand(input));
  console.log(\`made \${out.Location}\`);`,
  ],
  'wait-for-bucket.ts': [
    4,
    `const waited = await waitUntilBucketExists({ maxWaitTime: 30, minDelay: 1, client }, { Bucket: bucket });
  if (waited.state !== 'SUCCESS') throw new Error(\`no \${bucket} yet\`);`,
  ],
};

const independentB: Answers = {
  's3-client.ts': [1, "return new S3Client({ maxAttempts, retryMode: 'standard' });"],
  'head-bucket.ts': [
    2,
    `const verdicts: Record<number, BucketNameVerdict> = { 404: 'available', 403: 'owned-by-another-account' };
  return client.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => 'owned-by-you' as const,
    (e: { $metadata?: { httpStatusCode?: number } }) => {
      const verdict = verdicts[e.$metadata?.httpStatusCode ?? 0];
      if (verdict === undefined) throw e;
      return verdict;
    },
  );`,
  ],
  'create-bucket.ts': [
    3,
    `const where = await client.config.region();
  const input: CreateBucketCommandInput = { Bucket: name };
  if (where !== 'us-east-1') {
    input.CreateBucketConfiguration = { LocationConstraint: where as BucketLocationConstraint };
  }
  await client.send(new CreateBucketCommand(input));`,
  ],
  'wait-for-bucket.ts': [4, 'await waitUntilBucketExists({ client: client, minDelay: 1, maxWaitTime: 30 }, { Bucket: bucket });'],
};

describe('similarity flag', () => {
  const submissions = join(workDir, 'submissions');
  writeStudent(submissions, 'ada', answer(independentA));
  writeStudent(submissions, 'bo', answer(renamedA));
  writeStudent(submissions, 'cy', answer(independentB));
  writeStudent(submissions, 'di', Object.fromEntries(readdirSync(labDir).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(labDir, f), 'utf8')])));
  writeStudent(submissions, 'ed', {});
  // A link is never followed: fi's lab folder points at the solution.
  mkdirSync(join(submissions, 'fi', 'labs'), { recursive: true });
  symlinkSync(labDir, join(submissions, 'fi', 'labs', LAB));
  const students = ['ada', 'bo', 'cy', 'di', 'ed', 'fi'];
  const pairs = compareClass({ root, submissions, students, labIds: [LAB] });
  const score = (student: string, other: string) => pairs.find((p) => (p.student === student && p.other === other) || (p.student === other && p.other === student))?.score;

  it('flags two students with the same code, renamed and reformatted, and a copy of the solution', () => {
    // Renaming and layout change nothing; the one extra comma costs a few shared runs of tokens.
    expect(score('ada', 'bo')).toBeGreaterThan(0.95);
    expect(score('di', REFERENCE)).toBe(1);
    expect(pairs.filter(isFlagged).map((p) => [p.student, p.other])).toEqual([
      ['di', REFERENCE],
      ['ada', 'bo'],
    ]);
  });

  it('does not flag independent answers, and leaves out a starter and a linked folder', () => {
    for (const [a, b] of [['ada', 'cy'], ['ada', REFERENCE], ['cy', REFERENCE], ['cy', 'di']]) expect(score(a!, b!), `${a} ~ ${b}`).toBeLessThan(0.9);
    expect(pairs.some((p) => ['ed', 'fi'].includes(p.student) || ['ed', 'fi'].includes(p.other))).toBe(false);
    // 4 students compared with each other and the reference.
    expect(pairs).toHaveLength(10);
    expect(pairs.every((p) => p.other !== REFERENCE || p.student !== REFERENCE)).toBe(true);
  });

  it('writes the CSV, and a summary section that says it is not a verdict', () => {
    const csv = toSimilarityCsv(pairs);
    expect(csv.split('\r\n')[0]).toBe('lab,student,other,score');
    expect(csv).toMatch(/\r\n02-buckets,ada,bo,0\.9\d\r\n/);
    const markdown = toSimilarityMarkdown(pairs);
    expect(markdown).toContain('not a verdict');
    expect(markdown).toContain('| 02-buckets | di | reference solution | 1.00 |');
    expect(markdown).not.toContain('| cy |');
    expect(toSimilarityMarkdown([])).toContain('No pair reached the threshold.');
  });

  it('counts only tokens a diff with the starter does not match, without comments, names reduced to their kind', () => {
    expect(normalisedTokens("const total = f(1, 'x') /* why */ + `t${y}`; // done")).toEqual(['const', 'ID', '=', 'ID', '(', 'NUM', ',', 'STR', ')', '+', 'STR', ';']);
    expect(normalisedTokens(`  ${stubFor(12)}\n`)).toEqual(['STUB']);
    const starter = normalisedTokens(`function f(a) {\n  ${stubFor(1)}\n}\nfunction g() {\n  ${stubFor(2)}\n}`);
    expect(ownTokens(normalisedTokens('function f(a) { return new A(a); }\nfunction g() {\n  ' + stubFor(2) + '\n}'), starter)).toEqual(['return', 'new', 'ID', '(', 'ID', ')', ';']);
  });
});
