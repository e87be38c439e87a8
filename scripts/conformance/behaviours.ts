import type { Behaviour } from './behaviour.ts';
import { S3_BEHAVIOURS } from './s3.ts';
import { STS_BEHAVIOURS } from './sts.ts';

/** Every behaviour compared, one table per service (add a service's file here). */
export const BEHAVIOURS: readonly Behaviour[] = [...S3_BEHAVIOURS, ...STS_BEHAVIOURS];
