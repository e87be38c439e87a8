/**
 * Lab 05: DynamoDB tables and waiters. The program creates the Notes table, waits
 * for it, loads the course's notes, queries one year and deletes the table again.
 * `npm run lab:5` runs it against the lab emulator, then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNotesTable } from './create-table.ts';
import { deleteNotesTable } from './delete-table.ts';
import { createDynamoDbClients } from './dynamodb-clients.ts';
import { loadNotes } from './load-notes.ts';
import { readNotes } from './notes.ts';
import { queryNotesByYear } from './query-notes.ts';
import { readConfig } from './read-config.ts';
import { waitForTable } from './wait-for-table.ts';

const labDir = dirname(fileURLToPath(import.meta.url));

/** config.ini names the notes file relative to the course folder: look for it from here upwards. */
function findCourseFile(relativePath: string): string {
  for (let dir = labDir; ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`Could not find ${relativePath} in ${labDir} or any folder above it.`);
  }
}

async function main(): Promise<void> {
  console.log('\nStart of DynamoDB notes script\n');

  console.log('Reading configuration file for the table name...');
  const config = readConfig(resolve(labDir, 'config.ini'), 'DynamoDB');
  const tableName = config.table_name!;
  const notes = readNotes(findCourseFile(config.notes_file!));
  const { client, documents } = createDynamoDbClients(Number(config.max_attempts));

  try {
    console.log(`\nCreating the table ${tableName} in ${await client.config.region()}...`);
    await createNotesTable(client, tableName);

    console.log('Waiting for the table to become ACTIVE...');
    await waitForTable(client, tableName);
    console.log(`The table ${tableName} is ACTIVE.`);

    console.log(`\nLoading ${notes.length} notes in batches...`);
    await loadNotes(documents, tableName, notes);
    console.log('Done.');

    const year = Math.max(...notes.map((note) => note.year));
    console.log(`\nNotes of ${year}, by title:`);
    for (const note of await queryNotesByYear(documents, tableName, year)) {
      console.log(`  ${note.title} (${note.author})`);
    }

    console.log(`\nDeleting the table ${tableName}...`);
    await deleteNotesTable(client, tableName);
    console.log(`The table ${tableName} is gone.`);
  } finally {
    // The document client's destroy() is a no-op: close the sockets of the client it wraps.
    client.destroy();
  }

  console.log('\nEnd of DynamoDB notes script\n');
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
