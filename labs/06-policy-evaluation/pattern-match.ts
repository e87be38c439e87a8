/**
 * TODO 1: IAM's wildcards.
 *
 * In Action and Resource patterns (and in StringLike conditions, TODO 4):
 * - `*` matches any run of characters, also none: `s3:Get*` matches `s3:Get` and `s3:GetObject`;
 * - `?` matches exactly one character: `notes-20??` matches `notes-2024`, not `notes-202`;
 * - every other character stands for itself (`.`, `/`, `:`, `+` ... are not special).
 * The whole value must match, not just a part of it.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  // BEGIN SOLUTION TODO 1
  // Classic two-pointer glob: remember the last `*` and retry from one character further on a mismatch.
  let p = 0;
  let v = 0;
  let star = -1;
  let resumeAt = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resumeAt = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
  // END SOLUTION
}

/**
 * TODO 1: Does the Action pattern `pattern` cover the action `action`?
 * Actions are case-insensitive: `S3:getobject` and `s3:GetObject` are the same action.
 */
export function actionMatches(pattern: string, action: string): boolean {
  // BEGIN SOLUTION TODO 1
  return wildcardMatch(pattern.toLowerCase(), action.toLowerCase());
  // END SOLUTION
}

/**
 * TODO 1: Does the Resource pattern `pattern` cover the ARN `resource`?
 * ARNs are case-sensitive: `arn:aws:s3:::Notes` is not `arn:aws:s3:::notes`.
 * A bucket and its objects are different resources: `arn:aws:s3:::notes` does not
 * cover `arn:aws:s3:::notes/jan.csv`, and `arn:aws:s3:::notes/*` does not cover the bucket.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  // BEGIN SOLUTION TODO 1
  return wildcardMatch(pattern, resource);
  // END SOLUTION
}
