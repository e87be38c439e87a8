import type { IamGroup, IamRole, IamUser, ManagedPolicy, PolicyVersion } from './iam-state.ts';

/**
 * Entities in the shapes of the IAM API model. Policy documents in responses are
 * URL-encoded (RFC 3986), as AWS sends them: the SDK hands them over still encoded
 * and callers decodeURIComponent them.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}

export function iso(date: Date): string {
  return date.toISOString();
}

export function userShape(user: IamUser): Record<string, unknown> {
  return { Path: user.path, UserName: user.name, UserId: user.id, Arn: user.arn, CreateDate: iso(user.createDate) };
}

export function groupShape(group: IamGroup): Record<string, unknown> {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: iso(group.createDate) };
}

export function roleShape(role: IamRole): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: iso(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
  };
}

export function policyShape(policy: ManagedPolicy, attachmentCount: number): Record<string, unknown> {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: 'true',
    ...(policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: iso(policy.createDate),
    UpdateDate: iso(policy.updateDate),
  };
}

export function policyVersionShape(policy: ManagedPolicy, version: PolicyVersion, withDocument: boolean): Record<string, unknown> {
  return {
    ...(withDocument ? { Document: encodeDocument(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: String(version.versionId === policy.defaultVersionId),
    CreateDate: iso(version.createDate),
  };
}
