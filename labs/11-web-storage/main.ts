/**
 * Lab 11: S3 as a web application's storage, the course's django-storages setup in
 * TypeScript: collectstatic to `static/`, a media storage with presigned links, CORS for
 * the app's origin, and a web app whose uploads go from the browser straight to S3.
 * `npm run lab:11` runs this program against the lab emulator, then grades each TODO,
 * partly in a real (headless) Chromium. You do not need to change this file.
 *
 * To try the app in your own browser: start `npm run emulator` in one terminal, then in
 * another `AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1
 * AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test npx tsx labs/11-web-storage/main.ts --serve`
 * and open the URL it prints (Ctrl+C stops it).
 */
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { allowAppOrigin } from './bucket-cors.ts';
import { collectStatic, publishStatic } from './collect-static.ts';
import { ensureBucket } from './ensure-bucket.ts';
import { readConfig } from './read-config.ts';
import { S3Storage } from './s3-storage.ts';
import { startApp } from './web-app.ts';

async function main(client: S3Client): Promise<void> {
  console.log('\nStart of web storage script\n');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'S3');
  const app = readConfig(new URL('./config.ini', import.meta.url), 'APP');
  const bucket = config.bucket_name!;
  await ensureBucket(client, bucket);

  const folder = fileURLToPath(new URL(config.static_folder!, import.meta.url));
  console.log(`collectstatic: ${config.static_folder} -> s3://${bucket}/${config.static_location}/`);
  const options = { location: config.static_location!, cacheControl: config.static_cache_control! };
  for (const key of await collectStatic(client, bucket, folder, options)) console.log(`  upload: ${key}`);
  const again = await collectStatic(client, bucket, folder, options);
  console.log(`collectstatic again: ${again.length === 0 ? 'nothing changed, nothing uploaded' : `uploaded again: ${again.join(', ')}`}`);
  await publishStatic(client, bucket, config.static_location!);
  console.log(`static/ is public: ${config.static_location}/* readable by everyone, nothing else`);

  const urlExpiresIn = Number(config.url_expires_seconds);
  const media = new S3Storage({ client, bucket, location: config.media_location!, urlExpiresIn });
  const statics = new S3Storage({ client, bucket, location: config.static_location!, urlExpiresIn, publicUrls: true });
  const logo = await statics.open('images/logo.svg');
  const first = await media.save('samples/logo.svg', logo, 'image/svg+xml');
  const second = await media.save('samples/logo.svg', logo, 'image/svg+xml');
  console.log(`\nsaved ${first}, then ${second} (the same name twice: never overwritten)`);
  console.log(`exists(${second}): ${await media.exists(second)}; exists(samples/none.svg): ${await media.exists('samples/none.svg')}`);
  const top = await media.listdir('');
  console.log(`listdir(''): directories ${JSON.stringify(top.directories)}, files ${JSON.stringify(top.files)}`);
  console.log(`listdir('samples'): ${JSON.stringify((await media.listdir('samples')).files)}`);
  console.log(`url(${first}) (presigned, ${urlExpiresIn} s):\n  ${await media.url(first)}`);
  console.log(`static url(app.css) (public):\n  ${await statics.url('app.css')}`);
  await media.delete(second);
  console.log(`deleted ${second}; exists: ${await media.exists(second)}`);

  const running = await startApp({
    client,
    bucket,
    port: Number(app.port ?? 0),
    staticLocation: config.static_location,
    mediaLocation: config.media_location,
    urlExpiresIn,
    maxUploadBytes: Number(config.max_upload_bytes),
  });
  await allowAppOrigin(client, bucket, running.origin);
  console.log(`\nThe app is at ${running.url} (CORS allows ${running.origin})`);
  const gallery = await fetch(new URL('gallery', running.url));
  console.log(`GET ${new URL('gallery', running.url)} -> ${gallery.status}, ${(await gallery.text()).match(/<img /g)?.length ?? 0} image(s)`);
  if (process.argv.includes('--serve')) {
    console.log('Serving until Ctrl+C.');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  await running.close();
  console.log('\nEnd of web storage script\n');
}

// Region, endpoint and keys come from the environment (lab 02, TODO 1).
const client = new S3Client({});
main(client)
  .catch((error: unknown) => {
    // Like the course's scripts: print what went wrong, without a stack trace.
    console.log(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  })
  .finally(() => client.destroy());
