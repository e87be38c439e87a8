import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CONTROL_PREFIX, handleControlRequest } from './control/control-api.ts';
import { Store, type EmulatorSettings } from './core/store.ts';
import { handleAwsRequest } from './pipeline/pipeline.ts';
import { SERVICES, serviceDirectory } from './services/registry.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default: the emulator is for this machine only. */
  host?: string;
  settings?: Partial<EmulatorSettings>;
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
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const work = (req.url ?? '').startsWith(CONTROL_PREFIX)
      ? handleControlRequest(req, res, store, SERVICES)
      : handleAwsRequest(req, res, store, directory);
    work.catch((error: unknown) => {
      // The pipeline renders every error itself; reaching here is a bug, but must not kill the server.
      console.error('[emulator] unhandled failure:', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
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
