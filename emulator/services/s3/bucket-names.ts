import { ServiceError } from '../../core/service-error.ts';

/**
 * S3's general-purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * Returns the reason a name breaks them, or undefined when it is valid.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a letter or a digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  // Reserved prefixes and suffixes: punycode, access point aliases, S3 Express, Object Lambda, S3 Tables.
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with the reserved prefix ${prefix}`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with the reserved suffix ${suffix}`;
  }
  return undefined;
}

/** AWS answers every rule violation the same way; the reason is not in the message. */
export function assertValidBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) {
    throw new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  }
}
