import type { AwsExpectation } from './aws-expectation.ts';
import { AWS_S3 } from './aws-s3.ts';
import { AWS_S3_OBJECT_LOCK } from './aws-s3-object-lock.ts';
import { AWS_DYNAMODB, AWS_IAM, AWS_STS } from './aws-services.ts';

/** Every behaviour with AWS's documented answer, one table per service. */
export const AWS_BEHAVIOURS: readonly AwsExpectation[] = [...AWS_S3, ...AWS_S3_OBJECT_LOCK, ...AWS_IAM, ...AWS_STS, ...AWS_DYNAMODB];
