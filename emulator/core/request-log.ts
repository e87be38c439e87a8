/**
 * Every request the emulator answered, in order. Checks read it to grade behaviour
 * that leaves no state behind: how a waiter polled, which files a sync re-uploaded.
 */
export interface RequestLogEntry {
  seq: number;
  /** ISO time on the emulator clock. */
  time: string;
  requestId: string;
  service: string;
  operation: string;
  method: string;
  path: string;
  status: number;
  errorCode?: string;
  region?: string;
  accessKeyId?: string;
  /** Where that key came from (env, profile NAME, container, instance-role, ...), when the emulator knows: CredentialRecord.source. */
  credentialSource?: string;
  callerArn?: string;
  bucket?: string;
  key?: string;
  /** A few request parameters worth grading on (e.g. S3 LocationConstraint, DynamoDB TableName). */
  params?: Record<string, string>;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  append(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    // Bounded: a long-running standalone emulator must not grow without limit.
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
