import type { Behaviour } from './behaviour.ts';
import { DYNAMODB_BEHAVIOURS } from './dynamodb.ts';
import { IAM_BEHAVIOURS } from './iam.ts';
import { S3_BEHAVIOURS } from './s3.ts';
import { S3_WEB_STORAGE_BEHAVIOURS } from './s3-web-storage.ts';
import { STS_BEHAVIOURS } from './sts.ts';

/** Every behaviour compared, one table per service (add a service's file here). */
export const BEHAVIOURS: readonly Behaviour[] = [...S3_BEHAVIOURS, ...S3_WEB_STORAGE_BEHAVIOURS, ...STS_BEHAVIOURS, ...IAM_BEHAVIOURS, ...DYNAMODB_BEHAVIOURS];
