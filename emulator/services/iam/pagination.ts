import type { RequestContext } from '../../pipeline/context.ts';
import { optionalParam, integerParam } from './iam-params.ts';
import { invalidInput } from './iam-errors.ts';

/**
 * IAM list pagination: MaxItems (1..1000, default 100), an opaque Marker, and
 * IsTruncated. The marker encodes the offset; it is opaque to callers as on AWS.
 */
export interface Page<T> {
  items: T[];
  /** Spread into the result: IsTruncated, and Marker when there is more. */
  fields: { IsTruncated: string; Marker?: string };
}

export function paginate<T>(ctx: RequestContext, all: T[]): Page<T> {
  const maxItems = integerParam(ctx, 'MaxItems', 1, 1000) ?? 100;
  const start = decodeMarker(optionalParam(ctx, 'Marker'));
  const items = all.slice(start, start + maxItems);
  const next = start + items.length;
  const truncated = next < all.length;
  return { items, fields: truncated ? { IsTruncated: 'true', Marker: encodeMarker(next) } : { IsTruncated: 'false' } };
}

function encodeMarker(offset: number): string {
  return Buffer.from(`emulator-marker:${offset}`).toString('base64');
}

function decodeMarker(marker: string | undefined): number {
  if (marker === undefined) return 0;
  const match = /^emulator-marker:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match) throw invalidInput('Invalid Marker.');
  return Number(match[1]);
}

/** `{ member: [...] }` for a query-protocol list; an empty list renders as an empty element. */
export function members<T>(items: T[]): { member: T[] } | string {
  return items.length === 0 ? '' : { member: items };
}
