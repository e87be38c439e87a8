/**
 * Lab 03: objects and metadata, the course's create-object.py and convert-object.py
 * in TypeScript, one after the other. `npm run lab:3` runs this program against the lab
 * emulator, then grades each TODO. You do not need to change this file: the TODOs are
 * in the files it imports.
 */
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { convertToJson } from './convert-to-json.ts';
import { ensureBucket } from './ensure-bucket.ts';
import { getCsvFile } from './get-csv-file.ts';
import { createObject } from './put-object.ts';
import { readConfig } from './read-config.ts';
import { uploadObject } from './upload-object.ts';

type Config = Record<string, string>;

async function createObjectScript(client: S3Client, config: Config): Promise<void> {
  console.log('\nStart of create object script\n');
  console.log('Reading configuration file for bucket name...');
  const bucketName = config.bucket_name!;
  // Relative to this folder, wherever the program is started from.
  const sourceFileName = fileURLToPath(new URL(config.object_name! + config.source_file_extension!, import.meta.url));
  const keyName = config.key_name! + config.source_file_extension!;

  console.log('Creating Object...');
  console.log(
    await uploadObject(client, bucketName, sourceFileName, keyName, config.source_content_type!, { [config.metaData_key!]: config.metaData_value! }),
  );
  console.log('\nEnd of create object script\n');
}

async function convertObjectScript(client: S3Client, config: Config): Promise<void> {
  console.log('\nStart of convert object script\n');
  console.log('Reading configuration file for bucket name...');
  const bucketName = config.bucket_name!;
  const keyName = config.key_name! + config.source_file_extension!;
  const processedFileName = config.key_name! + config.processed_file_extension!;

  console.log('\nGetting the CSV object from S3 bucket');
  const csvStr = await getCsvFile(client, bucketName, keyName);

  console.log('\nConverting CSV string to JSON...');
  const jsonStr = convertToJson(csvStr);

  console.log('Creating the new JSON object on S3');
  console.log(
    await createObject(client, bucketName, processedFileName, jsonStr, config.processed_content_type!, { [config.metaData_key!]: config.metaData_value! }),
  );
  console.log('\nEnd of convert object script\n');
}

async function main(): Promise<void> {
  const config = readConfig(new URL('./config.ini', import.meta.url), 'S3');
  // Region, endpoint and keys come from the environment (lab 02, TODO 1).
  const client = new S3Client({});
  try {
    await ensureBucket(client, config.bucket_name!);
    await createObjectScript(client, config);
    await convertObjectScript(client, config);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
