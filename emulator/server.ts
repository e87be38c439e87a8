import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControlRequest } from './control/control-api.ts';
import { CONTROL_PREFIX } from './control/control-protocol.ts';
import { Store, type EmulatorSettings } from './core/store.ts';
import { handleAwsRequest } from './pipeline/pipeline.ts';
import { clientErrorFor, writeClientError } from './protocols/client-errors.ts';
import { closeIdleSocketsAfterPoll, nodeServerOptions, serverLimits, type ServerLimitOverrides } from './server-limits.ts';
import { credentialEndpointFor } from './services/credential-endpoints/credential-endpoints.ts';
import { SERVICES, serviceDirectory } from './services/registry.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default: the emulator is for this machine only. */
  host?: string;
  settings?: Partial<EmulatorSettings>;
  /**
   * A per-run secret that locks the control API (/_emulator/...): every route but GET
   * health then needs it in the x-emulator-control-token header. The embedded backend
   * always sets one, because student code can reach this port. Without it the control
   * API is open to anything that reaches the port, which is only this machine on the
   * default loopback host: the standalone emulator driven by hand with curl.
   */
  controlToken?: string;
  /** Timeouts and the body progress rule (server-limits.ts); tests shorten them. */
  limits?: ServerLimitOverrides;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4566 */
  readonly endpoint: string;
  readonly port: number;
  /** In-process access to all state (checks use the control API, which works across processes). */
  readonly store: Store;
  stop(): Promise<void>;
}

/** Starts the embedded emulator: a real HTTP server that the unmodified AWS SDK and CLI talk to. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = new Store(
    SERVICES.flatMap((s) => (s.seed ? [s.seed] : [])),
    options.settings,
  );
  const directory = serviceDirectory(SERVICES);
  const controlToken = options.controlToken === undefined ? undefined : checkedToken(options.controlToken);
  const sockets = new Set<Socket>();
  const limits = serverLimits(options.limits);

  const server: Server = createServer(nodeServerOptions(limits), (req, res) => handle(req, res));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Instance metadata and container credentials share the port (credential-endpoints.ts says how they are told apart).
    const credentialEndpoint = credentialEndpointFor(req);
    const work = (req.url ?? '').startsWith(CONTROL_PREFIX)
      ? handleControlRequest(req, res, store, SERVICES, controlToken)
      : credentialEndpoint
        ? credentialEndpoint(req, res, store)
        : handleAwsRequest(req, res, store, directory, limits.body);
    work.catch((error: unknown) => {
      // The pipeline renders every error itself; reaching here is a bug, but must not kill the server.
      console.error('[emulator] unhandled failure:', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  // An Expect other than 100-continue: answered as any request (Node's default is a bare 417).
  server.on('checkExpectation', handle);
  // Node's idle-socket timeout: a client that neither sends nor reads for this long is dropped,
  // as is a keep-alive connection idle between requests; both only once idle after a stall too.
  server.setTimeout(limits.socketIdleTimeoutMs);
  closeIdleSocketsAfterPoll(server);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    // A response already under way (or a peer that reset) cannot be answered any more: just close.
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress) {
      socket.destroy();
      return;
    }
    writeClientError(socket, clientErrorFor(error));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${host}:${port}`,
    port,
    store,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          for (const service of SERVICES) service.dispose?.(store);
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A token travels in an HTTP header: printable ASCII, and never empty (that would read as "no lock"). */
function checkedToken(token: string): Buffer {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error('the control token must be a non-empty string of printable ASCII characters without spaces');
  return Buffer.from(token, 'utf8');
}
