import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { pipeSockets } from '../sandbox/pipe-sockets.ts';

/**
 * The grader's end of the Unix socket a student process in its own network namespace uses
 * to reach its emulator (sandbox/loopback-bridge.ts is the other end): each connection is
 * piped to the emulator's AWS port, and to nothing else.
 */
export function startEmulatorBridge(socketPath: string, port: number): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((client) => pipeSockets(client, createConnection({ host: '127.0.0.1', port })));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      // The student's user connects to it; the folder around it (0711) lets it in, nothing more.
      chmodSync(socketPath, 0o777);
      server.unref();
      resolve(server);
    });
  });
}
