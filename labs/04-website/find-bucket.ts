import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 1: Return the name of the one bucket of yours whose name contains `pattern`.
 *
 * The course does it with the CLI:
 *   aws s3api list-buckets --query 'Buckets[?contains(Name, `notes-bucket`) == `true`].Name'
 * In code: `ListBucketsCommand` answers `Buckets` (each with a `Name`); keep the names
 * that contain the pattern (anywhere in the name, not only at the start).
 *
 * The CLI query silently prints several names, tab-separated, when several match, and an
 * empty line when none does; the next command then fails in a confusing way. Do better:
 * throw an Error that names the pattern when no bucket matches, and one that lists the
 * names when more than one does.
 */
export async function findBucket(client: S3Client, pattern: string): Promise<string> {
  // BEGIN SOLUTION TODO 1
  const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
  const names = Buckets.map((bucket) => bucket.Name ?? '').filter((name) => name.includes(pattern));
  if (names.length === 0) throw new Error(`No bucket of yours has "${pattern}" in its name; create one first (lab 02).`);
  if (names.length > 1) throw new Error(`Several buckets have "${pattern}" in their name (${names.join(', ')}); make the pattern more specific.`);
  return names[0]!;
  // END SOLUTION
}
