import { PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 4: The bucket's CORS rules for the app at `appOrigin` (`http://127.0.0.1:8000`:
 * scheme, host and port, no path).
 *
 * The app's pages run in the browser at appOrigin and talk to S3 at another origin: the
 * browser lets a script read S3's answers (an upload's result, an image's bytes) only
 * when S3 says that origin may (S3 User Guide: "Using cross-origin resource sharing").
 * Allow exactly:
 * - the origin `appOrigin`, and no other (never `*`: any site could then read your
 *   users' files through their browsers with the links it gets);
 * - the methods the app needs: GET (read), PUT and POST (upload); not DELETE;
 * - any request header (`AllowedHeaders: ['*']`: a PUT sends Content-Type), and
 *   `ExposeHeaders: ['ETag']` so the page can read the uploaded object's ETag.
 */
export async function allowAppOrigin(client: S3Client, bucket: string, appOrigin: string): Promise<void> {
  // BEGIN SOLUTION TODO 4
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: [appOrigin], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }],
      },
    }),
  );
  // END SOLUTION
}
