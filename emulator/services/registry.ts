import type { ServiceModule } from '../pipeline/context.ts';
import type { ServiceDirectory } from '../pipeline/route.ts';
import { dynamoDbService } from './dynamodb/dynamodb-service.ts';
import { iamService } from './iam/iam-service.ts';
import { s3Service } from './s3/s3-service.ts';
import { STS_ACTIONS, stsService } from './sts/sts-service.ts';

/** Every emulated service. A new service joins here and nowhere else. */
export const SERVICES: ServiceModule[] = [s3Service, stsService, dynamoDbService, iamService];

export function serviceDirectory(services: ServiceModule[] = SERVICES): ServiceDirectory {
  const byName = new Map(services.map((s) => [s.name, s]));
  return {
    byTargetPrefix: new Map(byName.has('dynamodb') ? [['DynamoDB_20120810', byName.get('dynamodb')!]] : []),
    bySigningName: new Map(services.filter((s) => s.protocol === 'query').map((s) => [s.signingName, s])),
    byQueryAction: (action) => (STS_ACTIONS.has(action) ? byName.get('sts') : byName.get('iam')),
    s3: byName.get('s3')!,
  };
}
