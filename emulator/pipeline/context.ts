import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from '../core/checksums.ts';
import type { Caller, CredentialRecord } from '../core/identity.ts';
import type { Seeder, Store } from '../core/store.ts';

export type Protocol = 'rest-xml' | 'query' | 'json';

/** One request as it moves through route -> authenticate -> authorize -> faults -> dispatch -> serialize. */
export interface RequestContext {
  readonly store: Store;
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly method: string;
  /** The request target exactly as received (percent-encoding intact): SigV4 signs it. */
  readonly rawTarget: string;
  /** The path part of rawTarget, still percent-encoded. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with ','. */
  readonly headers: Record<string, string>;
  /** Header names in the order and case they arrived (SigV4 needs the signed ones). */
  readonly rawHeaders: string[];
  /** Bytes as received (read before routing, bounded in size and time). */
  rawBody: Buffer;
  /** The payload: rawBody, or its decoded content for aws-chunked uploads (set by authenticate). */
  body: Buffer;
  /** Simulated client address for aws:SourceIp (header x-emulator-source-ip or control API), else the socket's. */
  sourceIp: string;

  service?: ServiceModule;
  operation?: string;
  region: string;
  caller: Caller;
  credential?: CredentialRecord;
  /** Query protocol: the form parameters (body or query string). */
  form?: URLSearchParams;
  /** JSON protocol: the parsed body. */
  json?: Record<string, unknown>;
  /** S3: the addressed bucket and key (path-style or virtual-host-style), already decoded. */
  bucket?: string;
  key?: string;
  /** S3: true when the request came to the static website endpoint. */
  website?: boolean;
  /**
   * Flexible checksums of the payload that authenticate verified: from an
   * x-amz-checksum-<algorithm> header or an aws-chunked trailer (base64, by algorithm).
   */
  payloadChecksums?: Partial<Record<ChecksumAlgorithm, string>>;
  /** What authorize evaluated (filled by the service's `authorization`). */
  authorization?: AuthorizationRequest;
  /** A few parameters recorded in the request log for graders. */
  logParams: Record<string, string>;
}

/** What the authorize stage evaluates for one request. */
export interface AuthorizationRequest {
  /** e.g. s3:CreateBucket */
  action: string;
  /** ARNs; `*` for actions without a resource. */
  resources: string[];
  /** Request-specific condition keys (s3:prefix, dynamodb:LeadingKeys ...). */
  conditions?: Record<string, string | string[]>;
  /** The account that owns the resource, when known (cross-account evaluation). */
  resourceAccount?: string;
  /** The resource-based policy attached to the resource, when there is one (bucket policy, trust policy). */
  resourcePolicy?: string;
  /** Further checks the same request needs, all of which must pass (S3 CopyObject also reads its source: s3:GetObject). */
  additional?: AuthorizationRequest[];
  /**
   * The handler decides each resource itself and reports a denied one in its answer (S3
   * DeleteObjects: a key the caller may not delete is an <Error> AccessDenied in the result,
   * the others are deleted); the authorize stage only records what was asked.
   */
  decidedByHandler?: boolean;
}

export interface ServiceResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Raw body (S3 object data, website pages). */
  body?: Buffer | string | Readable;
  /** rest-xml: the document to render. */
  xml?: { root: string; value: Record<string, unknown> };
  /** query: the content of <OperationResult>; json: the response object. */
  result?: Record<string, unknown>;
}

export interface ServiceModule {
  /** Name used in the request log and fault rules: s3, sts, iam, dynamodb. */
  readonly name: string;
  /** The service in the SigV4 credential scope. */
  readonly signingName: string;
  readonly protocol: Protocol;
  /** The operation this request asks for; throws a ServiceError (501 NotImplemented) when unknown. */
  resolveOperation(ctx: RequestContext): string;
  /** May this request come without credentials (S3 website, public objects)? */
  allowsAnonymous?(ctx: RequestContext): boolean;
  /** Reads what the body says before authentication needs it (S3 POST Object's multipart form); after route. */
  readRequestBody?(ctx: RequestContext): Promise<void>;
  /**
   * Authenticates a request that carries its credentials in its body instead of a signature
   * header or query (S3 POST Object's policy and x-amz-signature fields): true when this
   * request is one, with ctx.caller (and ctx.credential, ctx.region) set; throws on a bad one.
   */
  authenticateBody?(ctx: RequestContext): boolean;
  /** What to authorize; undefined means the operation needs no permission (sts:GetCallerIdentity). */
  authorization(ctx: RequestContext): AuthorizationRequest | undefined;
  handle(ctx: RequestContext): Promise<ServiceResponse>;
  /** Built-in state after every reset (the other account's buckets, AWS managed policies). */
  seed?: Seeder;
  /** The control API's POST /_emulator/seed: this service's part of the payload. Throws on bad input. */
  applySeed?(store: Store, seed: unknown): void;
  /** The control API's GET /_emulator/state: this service's state as JSON, for checks. */
  dump?(store: Store): unknown | Promise<unknown>;
  /** When the emulator stops: release what the service holds outside memory (S3's temp files of large bodies). */
  dispose?(store: Store): void;
}
