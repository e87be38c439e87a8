/**
 * The shapes lab 06 works with: IAM's JSON policy grammar, cut down to what the lab
 * grades (see README.md, "What your evaluator must handle"). You do not need to change
 * this file.
 */

/** What your evaluator answers for one request. */
export type Verdict = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** One value or a list of values: IAM accepts both wherever a list is allowed. */
export type OneOrMore = string | string[];

/**
 * A Condition block: operator -> condition key -> policy value(s), e.g.
 * `{ "NotIpAddress": { "aws:SourceIp": ["203.0.113.0/24"] } }`.
 */
export type ConditionBlock = Record<string, Record<string, OneOrMore>>;

/**
 * The Principal of a resource-policy statement: `"*"` (everyone) or
 * `{ "AWS": ... }` naming users (`arn:aws:iam::111122223333:user/alice`), whole
 * accounts (`arn:aws:iam::111122223333:root`) or everyone again (`"*"`).
 * Identity-policy statements have no Principal: they belong to the caller.
 */
export type Principal = '*' | { AWS: OneOrMore };

/** A statement has exactly one of Action / NotAction and one of Resource / NotResource. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  Action?: OneOrMore;
  NotAction?: OneOrMore;
  Resource?: OneOrMore;
  NotResource?: OneOrMore;
  Condition?: ConditionBlock;
}

export interface Policy {
  Version?: string;
  /** Always a list in this lab (IAM also accepts a single statement object). */
  Statement: Statement[];
}

/** The request being decided: who asks to do what to which resource, and the condition context. */
export interface Request {
  principal: {
    /** The caller, always an IAM user here: arn:aws:iam::<account>:user/<name>. */
    arn: string;
    /** The caller's account (12 digits). */
    account: string;
  };
  /** service:Operation, e.g. s3:GetObject. */
  action: string;
  /** The resource's ARN, e.g. arn:aws:s3:::notes-bucket/2024/jan.csv. */
  resource: string;
  /** The account that owns the resource: the same as principal.account, or another one (cross-account). */
  resourceAccount: string;
  /**
   * Condition keys of the request and their values, e.g.
   * `{ "aws:SourceIp": "203.0.113.7", "aws:CurrentTime": "2025-03-01T08:00:00Z" }`.
   * A key that is not here is missing from the request (that matters, see TODO 4).
   */
  context: Record<string, string>;
}

/** Every policy that applies to one request. */
export interface Policies {
  /** The caller's identity-based policies (inline and attached): none, one or several. */
  identity: Policy[];
  /** The resource-based policy of the resource (a bucket policy), if it has one. */
  resource?: Policy;
}
