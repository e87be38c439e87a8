import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Note } from './notes.ts';

/**
 * TODO 4: Return the notes of one `year`, sorted by title, with a Query on the
 * partition key (never a Scan: a Scan reads the whole table and filters afterwards,
 * paying for every item it reads).
 *
 * - `KeyConditionExpression` names the partition key and compares it with a value
 *   placeholder: `#year = :year`, with `ExpressionAttributeValues: { ':year': year }`.
 * - `year` is a reserved word in DynamoDB expressions (so are `name`, `date`,
 *   `status`, ... hundreds of them): `year = :year` fails with ValidationException
 *   "Attribute name is a reserved keyword". Put a placeholder in its place and say
 *   what it stands for: `ExpressionAttributeNames: { '#year': 'year' }`.
 * - Query returns items in sort-key order (ascending by default), so sorted by
 *   title already.
 * - One response holds at most 1 MB: follow `LastEvaluatedKey` (pass it as
 *   `ExclusiveStartKey`) until it is absent.
 */
export async function queryNotesByYear(documents: DynamoDBDocumentClient, tableName: string, year: number): Promise<Note[]> {
  // BEGIN SOLUTION TODO 4
  const notes: Note[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#year = :year',
        ExpressionAttributeNames: { '#year': 'year' },
        ExpressionAttributeValues: { ':year': year },
        ExclusiveStartKey: startKey,
      }),
    );
    notes.push(...((page.Items ?? []) as Note[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return notes;
  // END SOLUTION
}
