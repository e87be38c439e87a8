import { fromDescriptor, type Backend, type Capability } from './backend.ts';
import { freePort } from './free-port.ts';
import { startLifelineProcess } from './lifeline-process.ts';

/** moto's default account: every request, whatever its credentials, acts in it. */
export const MOTO_ACCOUNT = '123456789012';

/**
 * What moto 5.2 lacks, each checked against a running `moto_server` 5.2.1
 * (backends/moto-capabilities.test.ts re-checks the observable ones).
 */
export const MOTO_MISSING: Partial<Record<Capability, string>> = {
  'head-bucket-403': 'moto answers HeadBucket 200 for a bucket another account owns (buckets are global, ownership is not checked)',
  'table-creating-state': 'moto creates DynamoDB tables ACTIVE at once, so a missing waiter is never caught',
  'website-endpoint': 'moto has no S3 website endpoint: a <bucket>.s3-website-<region> host gets the REST ListObjects answer, never the index document',
  'website-policy': 'moto has no S3 website endpoint, so no anonymous reads under a bucket policy',
  'iam-enforcement': 'moto enforces IAM only when INITIAL_NO_AUTH_ACTION_COUNT is set, and even then ignores most conditions and resource policies; a user with no policy may do anything here',
  'sigv4-verification': 'moto does not verify SigV4 signatures: a wrong secret key is accepted',
  'decode-authorization-message': 'moto does not implement STS DecodeAuthorizationMessage (it answers 500)',
  'mfa-totp': 'moto GetSessionToken accepts any TokenCode without checking it',
  'aws-managed-policies': 'moto loads AWS managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES=true, which makes every reset take seconds, so they do not exist here',
  'fault-injection': 'moto has no control API to inject throttling or errors',
  'eventual-consistency': 'moto has no control API to delay the visibility of new buckets',
  'request-log': 'moto has no control API listing the requests it received',
  'state-dump': 'moto has no control API dumping state in our format',
  'clock-control': 'moto has no control API to move its clock',
  'seed': 'moto has no control API to seed buckets owned by other accounts or users',
  'post-policy': "moto stores a POST Object's file without checking the POST policy: a file over content-length-range and a Content-Type outside starts-with are both accepted (204)",
  'cors-enforcement': "moto_server lets a page of any origin read an object whatever the bucket's CORS rules say (a page of another origin read an object whose rules named one origin)",
  'credential-endpoints': 'moto has no container credential endpoint, its instance metadata credentials are no session of a role you choose, and it logs no credential sources',
};

export const MOTO_NOT_ON_PATH =
  'moto_server is not on PATH: install it with pip install "moto[server]" or pick another backend';

export interface MotoBackend extends Backend {
  readonly name: 'moto';
  /** The process group of moto_server and its supervisor: gone once stopped. */
  readonly processGroup: number;
}

export interface MotoOptions {
  /** The moto_server executable (default: `moto_server` on PATH, or MOTO_SERVER). */
  command?: string;
  /** Loopback port; a free one by default. */
  port?: number;
  /** How long to wait for moto to answer (default 30 s: its first import is slow). */
  startTimeoutMs?: number;
  /**
   * Load AWS managed policies (default false). With them moto has the
   * 'aws-managed-policies' capability, at a price: after each reset its first IAM or
   * STS call reloads about a thousand policies, half a second to seconds.
   */
  loadAwsManagedPolicies?: boolean;
}

const HOST = '127.0.0.1';
/** The shell's exit code for "command not found". */
const COMMAND_NOT_FOUND = 127;

/** Starts a moto_server on a free loopback port and waits until it answers. */
export async function startMotoBackend(options: MotoOptions = {}): Promise<MotoBackend> {
  const command = options.command ?? process.env.MOTO_SERVER ?? 'moto_server';
  const port = options.port ?? (await freePort(HOST));
  const endpoint = `http://${HOST}:${port}`;
  // moto 5 loads AWS managed policies (AmazonS3ReadOnlyAccess, ...) only when asked.
  const managedPolicies = options.loadAwsManagedPolicies ?? false;
  // The user's AWS_* settings (profile, keys, region) are none of moto's business (DESIGN §5).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  env.MOTO_IAM_LOAD_MANAGED_POLICIES = String(managedPolicies);
  const missing = { ...MOTO_MISSING };
  if (managedPolicies) delete missing['aws-managed-policies'];
  const server = startLifelineProcess(command, ['-H', HOST, '-p', String(port)], env);

  const giveUp = new AbortController();
  const outcome = await Promise.race([
    waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000, giveUp.signal).then((ready) => ({ ready })),
    server.exited.then((code) => ({ exitCode: code })),
  ]);
  giveUp.abort();
  if (!('ready' in outcome) || !outcome.ready) {
    await server.stop(0);
    const exitCode = 'exitCode' in outcome ? outcome.exitCode : undefined;
    // A pyenv shim for a Python without moto says "command not found" and exits 127 too.
    if (exitCode === COMMAND_NOT_FOUND) throw new Error(MOTO_NOT_ON_PATH);
    const why = exitCode === undefined ? `did not answer on ${endpoint} in time` : `exited with code ${exitCode}`;
    throw new Error(`moto_server ${why}. Its last output:\n${server.outputTail()}`);
  }

  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    ...fromDescriptor({ name: 'moto', endpoint, accountId: MOTO_ACCOUNT, credentials, missing, reset: 'moto-api' }),
    processGroup: server.pid,
    reset: () => resetMoto(endpoint),
    stop: () => server.stop(),
  };
}

/** moto's own reset: every backend of every account back to empty. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status} ${await response.text()}`);
}

/** Polls moto's dashboard API until it answers 200, or gives up at the deadline. */
async function waitUntilAnswering(endpoint: string, timeoutMs: number, giveUp: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !giveUp.aborted) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
