/**
 * Why our emulator and moto answer a behaviour differently. Every difference the
 * conformance run finds must be listed here, keyed by behaviour name, or the run
 * (and `npm test`) fails. `aws`: ours follows AWS and moto does not (say how we
 * know). `bug`: ours is wrong; fix it and delete the row.
 */
export interface KnownDifference {
  verdict: 'aws' | 'bug';
  reason: string;
}

export const KNOWN_DIFFERENCES: Readonly<Record<string, KnownDifference>> = {
  'S3 CreateBucket with an invalid name: InvalidBucketName': {
    verdict: 'aws',
    reason:
      'AWS bucket naming rules forbid upper-case letters and names formatted as an IP address (S3 User Guide, "General purpose bucket naming rules"); moto 5.2 only checks the length',
  },
  'S3 ListBuckets: names in order, an owner, creation dates': {
    verdict: 'aws',
    reason: 'AWS lists buckets in ascending name order (the order its ListBuckets ContinuationToken pages through); moto lists them in creation order',
  },
  'STS GetCallerIdentity of the default credentials: the root ARN': {
    verdict: 'aws',
    reason:
      'test/test are root credentials here, and AWS answers root with Arn arn:aws:iam::<account>:root and UserId = the account id (GetCallerIdentity API reference examples); moto always answers as an IAM user named moto',
  },
};
