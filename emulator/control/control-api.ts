import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { parseFaultSettings } from '../core/faults.ts';
import { defaultSettings, type EmulatorSettings, type Store } from '../core/store.ts';
import type { ServiceModule } from '../pipeline/context.ts';
import { describeCredentialEndpoints, updateCredentialEndpoints } from '../services/credential-endpoints/credential-endpoints.ts';
import { readBody } from '../pipeline/read-body.ts';
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './control-protocol.ts';


const MAX_CONTROL_BODY = 8 * 1024 * 1024;

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The control API: reset, seed, faults, clock, settings, request log and state dump.
 * JSON in, JSON out; errors are `{ "error": "..." }` with a 4xx status.
 *
 * With a `controlToken`, every route but GET health answers 403 and does nothing
 * unless the request carries it in CONTROL_TOKEN_HEADER: the student's code can
 * reach this port, and must not read the state a check compares, seed what it should
 * have created, clear the request log or arm faults. Without one the API is open, as
 * the standalone emulator is when someone drives it by hand on loopback.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  services: ServiceModule[],
  controlToken?: Buffer,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  const foreign = foreignCaller(req);
  if (foreign) {
    reply(res, 403, { error: foreign });
    return;
  }
  // Health stays open: it says only that this is our emulator and which services it
  // has, which the endpoint backend needs to know before it has the token.
  if (controlToken && `${method} ${path}` !== 'GET health' && !carriesToken(req, controlToken)) {
    // The body is left unread: Node discards it, and nothing it says is acted on.
    reply(res, 403, { error: `the control API of this emulator is locked: send its control token in the ${CONTROL_TOKEN_HEADER} header` });
    return;
  }
  try {
    const input = method === 'GET' || method === 'DELETE' ? undefined : await readJson(req);
    const output = await controlAction(`${method} ${path}`, input, store, services);
    reply(res, 200, output ?? { ok: true });
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 400;
    reply(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

function controlAction(route: string, input: unknown, store: Store, services: ServiceModule[]): unknown {
  switch (route) {
    case 'GET health':
      return { status: 'ok', services: services.map((s) => s.name) };
    case 'POST reset':
      store.reset();
      return { ok: true };
    case 'GET state':
      // A dump may be asynchronous (DynamoDB reads its tables from memory-level).
      return Promise.all(services.filter((s) => s.dump).map(async (s) => [s.name, await s.dump!(store)] as const)).then(Object.fromEntries);
    case 'POST seed':
      return applySeed(input, store, services);
    case 'GET faults':
      return store.faults;
    case 'PUT faults':
    case 'POST faults':
      store.faults = parseFaultSettings(input);
      return store.faults;
    case 'DELETE faults':
      store.faults = parseFaultSettings({});
      return store.faults;
    case 'GET requests':
      return store.log.list();
    case 'DELETE requests':
      store.log.clear();
      return { ok: true };
    case 'GET clock':
      return { now: store.clock.now().toISOString(), frozen: store.clock.frozen };
    case 'POST clock':
      return moveClock(input, store);
    case 'GET settings':
      return store.settings;
    case 'PATCH settings':
    case 'POST settings':
      return updateSettings(input, store);
    case 'GET credential-endpoints':
      return describeCredentialEndpoints(store);
    case 'PATCH credential-endpoints':
      return updateCredentialEndpoints(store, input);
    default:
      throw new ControlError(404, `Unknown control route ${route}. Routes: GET health, POST reset, GET state, POST seed, GET|PUT|DELETE faults, GET|DELETE requests, GET|POST clock, GET|PATCH settings, GET|PATCH credential-endpoints.`);
  }
}

function carriesToken(req: IncomingMessage, controlToken: Buffer): boolean {
  const sent = req.headers[CONTROL_TOKEN_HEADER];
  if (typeof sent !== 'string') return false;
  const given = Buffer.from(sent, 'utf8');
  // timingSafeEqual needs equal lengths; the length alone says little about the token.
  return given.length === controlToken.length && timingSafeEqual(given, controlToken);
}

function applySeed(input: unknown, store: Store, services: ServiceModule[]): unknown {
  if (typeof input !== 'object' || input === null) throw new ControlError(400, 'seed must be a JSON object keyed by service name');
  for (const [name, seed] of Object.entries(input)) {
    const service = services.find((s) => s.name === name);
    if (!service?.applySeed) throw new ControlError(400, `service ${name} cannot be seeded`);
    service.applySeed(store, seed);
  }
  return { ok: true };
}

/**
 * The emulator clock may be moved anywhere between 1970 and 9999 (what an ISO time, an
 * HTTP date and a SigV4 X-Amz-Date can all express): a time outside makes every Date
 * the pipeline prints invalid, and every request a 500.
 */
const EARLIEST_CLOCK_MS = 0;
const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

function moveClock(input: unknown, store: Store): unknown {
  const body = (input ?? {}) as { advanceSeconds?: unknown; set?: unknown; reset?: unknown; freeze?: unknown };
  const usage = 'clock takes {"advanceSeconds": n}, {"set": "ISO time"}, {"freeze": true|false} or {"reset": true}';
  if (typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, usage);
  if (body.reset === true) {
    store.clock.reset();
  } else if (typeof body.freeze === 'boolean') {
    // Virtual time (checks/support/check-meta.ts): the clock moves only when the grader moves it.
    store.clock.freeze(body.freeze);
  } else if (typeof body.advanceSeconds === 'number') {
    const target = store.clock.nowMs() + body.advanceSeconds * 1000;
    checkClockTarget(target, `advanceSeconds ${body.advanceSeconds}`);
    store.clock.advance(body.advanceSeconds);
  } else if (typeof body.set === 'string' && !Number.isNaN(Date.parse(body.set))) {
    const target = Date.parse(body.set);
    checkClockTarget(target, `set ${JSON.stringify(body.set)}`);
    store.clock.set(new Date(target));
  } else throw new ControlError(400, usage);
  return { now: store.clock.now().toISOString(), frozen: store.clock.frozen };
}

function checkClockTarget(targetMs: number, asked: string): void {
  if (!Number.isFinite(targetMs) || targetMs < EARLIEST_CLOCK_MS || targetMs > LATEST_CLOCK_MS) {
    throw new ControlError(400, `clock: ${asked} would move the clock outside 1970-01-01 .. 9999-12-31; the clock was not changed`);
  }
}

/** What each setting accepts; the whole payload is checked before any of it is applied. */
const SETTING_RULES: { [K in keyof EmulatorSettings]: { valid: (value: unknown) => boolean; expected: string } } = {
  enforceIam: { valid: (v) => typeof v === 'boolean', expected: 'true or false' },
  // AWS allows 15 minutes; a lab may tighten or loosen it, but not below zero or beyond a day.
  maxClockSkewSeconds: { valid: (v) => isIntegerIn(v, 0, 24 * 60 * 60), expected: 'an integer from 0 to 86400' },
  tableCreateDelayMs: { valid: (v) => isIntegerIn(v, 0, 10 * 60 * 1000), expected: 'an integer from 0 to 600000' },
  tableDeleteDelayMs: { valid: (v) => isIntegerIn(v, 0, 10 * 60 * 1000), expected: 'an integer from 0 to 600000' },
  // Bodies are held in memory while a request is read: at least 1 KiB, at most 1 GiB.
  maxBodyBytes: { valid: (v) => isIntegerIn(v, 1024, 1024 * 1024 * 1024), expected: 'an integer from 1024 to 1073741824' },
};

function updateSettings(input: unknown, store: Store): EmulatorSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ControlError(400, 'settings must be a JSON object');
  const defaults = defaultSettings();
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(SETTING_RULES, key)) throw new ControlError(400, `unknown setting ${key}; known: ${Object.keys(defaults).join(', ')}`);
    const rule = SETTING_RULES[key as keyof EmulatorSettings];
    if (!rule.valid(value)) throw new ControlError(400, `setting ${key} must be ${rule.expected}; got ${JSON.stringify(value)}; nothing was changed`);
  }
  store.settings = { ...store.settings, ...(input as Partial<EmulatorSettings>) };
  return store.settings;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * The control API changes what every request sees (IAM enforcement, faults, the
 * clock), so it answers only callers on this machine that are not web pages. A page in
 * the student's browser can send a cross-site POST (text/plain needs no preflight), and
 * with DNS rebinding even one whose name resolves to 127.0.0.1; it cannot hide its
 * Origin header nor send an IP literal as the Host of a name it looked up. So:
 * - Host must be an IP literal or localhost (no DNS name, so no rebinding);
 * - an Origin, when sent, must be this very endpoint (a check or curl sends none).
 * Returns why the request is refused, or undefined.
 */
function foreignCaller(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined || !isLocalHostHeader(host)) {
    return `the control API answers only requests whose Host is an IP address or localhost; got ${JSON.stringify(host ?? null)}`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let sameEndpoint = false;
    try {
      const url = new URL(origin);
      sameEndpoint = url.protocol === 'http:' && isLocalHostHeader(url.host) && portOf(url.host) === req.socket.localPort;
    } catch {
      sameEndpoint = false;
    }
    if (!sameEndpoint) return `the control API does not answer web pages of other origins; got Origin ${JSON.stringify(origin)}`;
  }
  return undefined;
}

function isLocalHostHeader(host: string): boolean {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function portOf(host: string): number {
  const port = /:(\d+)$/.exec(host)?.[1];
  return port === undefined ? 80 : Number(port);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, MAX_CONTROL_BODY);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ControlError(400, 'the request body is not valid JSON');
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length) });
  res.end(payload);
}
