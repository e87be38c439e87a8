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
  'IAM CreateUser: ARN, path, id prefix': {
    verdict: 'aws',
    reason: 'AWS user ids start with AIDA (IAM User Guide, "Unique identifiers"); moto makes up random ids',
  },
  'DynamoDB CreateTable: the status it returns': {
    verdict: 'aws',
    reason: 'CreateTable is asynchronous on AWS: it returns TableStatus CREATING and the table turns ACTIVE later (CreateTable API reference); moto is ACTIVE at once',
  },
  'DynamoDB DeleteTable: the status it returns': {
    verdict: 'aws',
    reason: 'AWS returns TableStatus DELETING while the table is being deleted (DeleteTable API reference); moto answers ACTIVE',
  },
  'IAM AttachUserPolicy with an AWS managed policy, then ListAttachedUserPolicies': {
    verdict: 'aws',
    reason:
      "AWS managed policies always exist on AWS; moto loads them only with MOTO_IAM_LOAD_MANAGED_POLICIES=true, which the moto backend leaves off (each reset would then cost seconds), so it lacks the 'aws-managed-policies' capability",
  },
  'S3 POST Object with success_action_status 201: a PostResponse document': {
    verdict: 'aws',
    reason:
      'With success_action_status 201, S3 answers an XML PostResponse document (Location, Bucket, Key, ETag) (S3 API Reference, "POST Object", success_action_status); moto 5.2 answers 201 with an empty body',
  },
  'S3 POST Object over content-length-range: 400 EntityTooLarge, nothing stored': {
    verdict: 'aws',
    reason:
      'S3 enforces every condition of the POST policy and refuses a file over content-length-range with 400 EntityTooLarge (S3 User Guide, "Creating a POST policy", condition matching; S3 API Reference, "POST Object" errors); moto 5.2 does not check the policy and stores the file',
  },
  'S3 POST Object with a Content-Type outside starts-with: 403 AccessDenied, nothing stored': {
    verdict: 'aws',
    reason:
      'A form field that breaks a policy condition is refused with 403 AccessDenied "Invalid according to Policy: Policy Condition failed" (S3 User Guide, "Creating a POST policy"); moto 5.2 does not check the policy and stores the file',
  },
  'S3 CORS preflight from another origin: 403 AccessForbidden': {
    verdict: 'aws',
    reason:
      'S3 refuses the preflight and grants no origin (S3 User Guide, "Troubleshooting CORS": 403 "This CORS request is not allowed"); moto 5.2 refuses it too, but moto_server adds Access-Control-Allow-Origin for any origin to every answer, so a browser would let the page read',
  },
  'S3 CORS preflight for a method the rule does not allow: 403 AccessForbidden': {
    verdict: 'aws',
    reason:
      'S3 matches the requested method against the rule\'s AllowedMethods and refuses it otherwise (S3 User Guide, "Troubleshooting CORS": "Methods are not allowed"); moto 5.2 ignores AllowedMethods and answers 200',
  },
};
