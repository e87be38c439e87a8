import { setTimeout as sleep } from 'node:timers/promises';
import { probabilityFires, type FaultRule } from '../core/faults.ts';
import { ServiceError } from '../core/service-error.ts';
import type { RequestContext } from './context.ts';

/**
 * Faults stage: the injected throttling, errors and delays of the control API,
 * each rendered as the service itself would throttle.
 */
export async function injectFaults(ctx: RequestContext): Promise<void> {
  const service = ctx.service?.name ?? '';
  for (const rule of ctx.store.faults.rules) {
    if (!matches(rule, service, ctx.operation ?? '')) continue;
    // DynamoDB batch calls answer a throughput fault with UnprocessedItems/UnprocessedKeys: their handler takes the rule.
    if (rule.kind === 'throughput' && service === 'dynamodb' && /^Batch(Write|Get)Item$/.test(ctx.operation ?? '')) continue;
    if (!probabilityFires(ctx.store.faults, rule)) continue;
    if (rule.count !== undefined) rule.count -= 1;
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.kind !== 'delay') throw faultError(rule.kind, service);
  }
}

function matches(rule: FaultRule, service: string, operation: string): boolean {
  if (rule.count !== undefined && rule.count <= 0) return false;
  if (rule.service && rule.service.toLowerCase() !== service) return false;
  if (rule.operation && rule.operation !== operation) return false;
  return true;
}

function faultError(kind: FaultRule['kind'], service: string): ServiceError {
  if (kind === 'internal') {
    return service === 's3'
      ? new ServiceError('InternalError', 'We encountered an internal error. Please try again.', 500)
      : new ServiceError(service === 'dynamodb' ? 'InternalServerError' : 'InternalFailure', 'Internal server error (injected by the emulator).', 500);
  }
  if (kind === 'throughput' && service === 'dynamodb') {
    return new ServiceError(
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      400,
    );
  }
  switch (service) {
    case 's3':
      return new ServiceError('SlowDown', 'Please reduce your request rate.', 503);
    case 'dynamodb':
      return new ServiceError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400);
    default:
      return new ServiceError('Throttling', 'Rate exceeded', 400);
  }
}
