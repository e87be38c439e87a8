/**
 * The policy engine's contract. The engine (evaluate.ts) is pure: no store, no I/O.
 * The authorize stage gathers the policies that apply to a request and asks it.
 */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export type ConditionValues = string | string[];

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, ConditionValues | boolean | number>>;
}

export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: Statement | Statement[];
}

export interface EvaluationRequest {
  /**
   * The calling principal. An anonymous (unsigned) caller has arn `*`; a service principal
   * has its service name as arn (`s3.amazonaws.com`).
   */
  principal: {
    arn: string;
    accountId: string;
    /** For assumed-role sessions: the role ARN (trust and resource policies may name either). */
    roleArn?: string;
  };
  /** e.g. s3:GetObject */
  action: string;
  /** ARN of the resource, or `*`. */
  resource: string;
  /** Account that owns the resource; absent means the principal's own account. */
  resourceAccount?: string;
  /** Condition context: global keys (aws:SourceIp, aws:CurrentTime ...) and service keys. Keys are case-insensitive. */
  context: Record<string, ConditionValues>;
}

export interface PolicySet {
  /** Identity-based: a user's inline, attached and group policies, or a role's for a session. */
  identityPolicies: PolicyDocument[];
  /** Resource-based: bucket policy, role trust policy ... */
  resourcePolicy?: PolicyDocument;
  /** Session policies of an assumed-role session: they can only narrow. */
  sessionPolicies?: PolicyDocument[];
  /** Whether the principal is the resource account's root (root may do anything in its own account). */
  principalIsRoot?: boolean;
  /** Permissions boundaries of the user or role: they cap the identity policies, never grant. */
  permissionsBoundaries?: PolicyDocument[];
  /**
   * `resource` (default): bucket policies and the like; in the same account the caller's identity
   * policies suffice without it. `trust`: role trust policies (and KMS key policies), which must
   * trust the caller or its account even in the same account.
   */
  resourcePolicyKind?: 'resource' | 'trust';
}

export interface EvaluationResult {
  decision: Decision;
  /** Which kind of policy decided: for AWS-style denial messages. */
  deniedBy?: 'identity-policy' | 'resource-policy' | 'session-policy' | 'permissions-boundary' | 'no-policy';
  /** For an Allow: which kind of policy granted it. */
  allowedBy?: 'identity-policy' | 'resource-policy' | 'root' | 'no-permission-required';
  /** The statement that matched (Sid when it had one), for explanations. */
  matchedStatement?: string;
}
