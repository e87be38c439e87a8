/**
 * Every operation of the STS API, as botocore's service model names them (data/sts/<api-version>/service-2.json).
 * A request for one of these that has no handler answers 501 NotImplemented naming it; any
 * other name is not an operation of the service at all, and gets the service's own 400.
 * test/botocore-routing.test.ts checks this list against the installed botocore.
 */
export const STS_OPERATIONS: ReadonlySet<string> = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'DecodeAuthorizationMessage',
  'GetAccessKeyInfo', 'GetCallerIdentity', 'GetDelegatedAccessToken', 'GetFederationToken', 'GetSessionToken',
  'GetWebIdentityToken',
]);
