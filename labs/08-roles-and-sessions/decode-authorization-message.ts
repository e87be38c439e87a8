import { DecodeAuthorizationMessageCommand, type STSClient } from '@aws-sdk/client-sts';

export interface DenialDetails {
  allowed: boolean;
  /** true when a Deny statement matched; false when simply no policy allowed it. */
  explicitDeny: boolean;
  /** e.g. iam:CreateUser */
  action: string;
  /** The ARN the request was about. */
  resource: string;
  /** Who was denied. */
  principalArn: string;
}

/**
 * TODO 5: Explain an access denial. Some denials end their message with
 *
 *     ... Encoded authorization failure message: <long opaque text>
 *
 * (EC2 does, and the lab emulator does it for IAM and STS). Only AWS can read that
 * text: send it, and only it, to STS `DecodeAuthorizationMessage` (the caller needs
 * the `sts:DecodeAuthorizationMessage` permission). `DecodedMessage` is JSON:
 *
 *     { "allowed": false, "explicitDeny": false, "matchedStatements": {...}, "failures": {...},
 *       "context": { "principal": { "id", "name", "arn" }, "action": "...", "resource": "...", "conditions": {...} } }
 *
 * Return the fields of DenialDetails from it. For an error without an encoded message
 * (or anything that is not an error), return undefined without calling STS.
 */
export async function explainDenial(sts: STSClient, error: unknown): Promise<DenialDetails | undefined> {
  // BEGIN SOLUTION TODO 5
  const message = error instanceof Error ? error.message : '';
  const encoded = /Encoded authorization failure message: (\S+)/.exec(message)?.[1];
  if (!encoded) return undefined;
  const { DecodedMessage } = await sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
  const decoded = JSON.parse(DecodedMessage!) as {
    allowed: boolean;
    explicitDeny: boolean;
    context: { action: string; resource: string; principal: { arn: string } };
  };
  return {
    allowed: decoded.allowed,
    explicitDeny: decoded.explicitDeny,
    action: decoded.context.action,
    resource: decoded.context.resource,
    principalArn: decoded.context.principal.arn,
  };
  // END SOLUTION
}
