import { createConnection, createServer } from 'node:net';
import { pipeSockets } from './pipe-sockets.ts';

/**
 * In batch grading as root, the student's process runs in a network namespace of its own:
 * no interface but its own loopback, so it can reach nothing on the machine or beyond.
 * Its one way out is a Unix socket that the grader listens on and forwards to this
 * submission's emulator. This bridge makes that socket look like the emulator's usual
 * address: it listens on 127.0.0.1:<port> inside the namespace (the port in
 * AWS_ENDPOINT_URL) and pipes each connection to the socket.
 *
 * The variables are read once and removed, so the student's code sees the same
 * environment as everywhere else.
 */
export const BRIDGE_ENV = { socket: 'GRADING_BRIDGE_SOCKET', port: 'GRADING_BRIDGE_PORT' } as const;

export async function startLoopbackBridge(env: NodeJS.ProcessEnv): Promise<void> {
  const socketPath = env[BRIDGE_ENV.socket];
  const port = Number(env[BRIDGE_ENV.port]);
  delete env[BRIDGE_ENV.socket];
  delete env[BRIDGE_ENV.port];
  if (!socketPath || !Number.isInteger(port)) return;
  const server = createServer((client) => {
    const upstream = createConnection(socketPath);
    // Neither end keeps the process alive, nor looks like work in flight to virtual time
    // (sandbox/virtual-time.ts counts ref'd handles): the student's own socket says when a request is.
    client.unref();
    upstream.unref();
    pipeSockets(client, upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // The bridge must not keep the process alive on its own.
  server.unref();
}
