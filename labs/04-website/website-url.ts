/**
 * TODO 5: The address of the bucket's website.
 *
 * On AWS (no `endpoint`) the website has its own host name, which is not the REST API's
 * (`<bucket>.s3.<region>.amazonaws.com` answers XML, not your pages), and it comes in two
 * spellings depending on the region:
 * - `http://<bucket>.s3-website-<region>.amazonaws.com/` (dash) in the older regions:
 *   us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2,
 *   ap-northeast-1, sa-east-1 and us-gov-west-1;
 * - `http://<bucket>.s3-website.<region>.amazonaws.com/` (dot) everywhere else
 *   (eu-central-1, ap-northeast-2, ...). The course's printf always uses the dash.
 * Website endpoints speak HTTP only (for HTTPS, put CloudFront in front).
 *
 * On the lab emulator (`endpoint` given, e.g. `http://127.0.0.1:4566`), the website host
 * is `<bucket>.s3-website.<region>.localhost`, on the emulator's port:
 * `http://<bucket>.s3-website.<region>.localhost:4566/`.
 */
export function websiteUrl(bucket: string, region: string, endpoint?: string): string {
  // BEGIN SOLUTION TODO 5
  if (endpoint !== undefined) {
    const { port } = new URL(endpoint);
    return `http://${bucket}.s3-website.${region}.localhost${port ? `:${port}` : ''}/`;
  }
  const separator = DASH_REGIONS.has(region) ? '-' : '.';
  return `http://${bucket}.s3-website${separator}${region}.amazonaws.com/`;
  // END SOLUTION
}

/** The regions whose website endpoint is spelled s3-website-<region> (the AWS docs' list). */
const DASH_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
  'us-gov-west-1',
]);
