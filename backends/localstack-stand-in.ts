import { spawn } from 'node:child_process';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The LocalStack stand-in: the program of a local image that serves OUR emulator the way
 * LocalStack's image serves LocalStack, so that `--backend localstack` (testcontainers,
 * @testcontainers/localstack) can be run end to end where LocalStack's image cannot be
 * pulled. It proves the container plumbing, never LocalStack's behaviour.
 *
 * What it imitates, from LocalStack 4.14.0's source (localstack-core/localstack/...):
 * - the gateway on port 4566 (GATEWAY_LISTEN's default) on every interface;
 * - the line `Ready.` once requests are served (constants.py READY_MARKER_OUTPUT, printed by
 *   runtime/runtime.py), which @testcontainers/localstack waits for (Wait.forLogMessage("Ready"));
 * - GET /_localstack/health: `{"services": {...}, "edition": ..., "version": ...}`, HEAD
 *   answering 200 (services/internal.py HealthResource). The edition and version say what
 *   this is, not "community".
 * Everything else goes to the emulator unchanged (the Host header too: SigV4 signs it).
 * It has no /_localstack/state/reset, as LocalStack community 4.14 has none.
 *
 * Usage (inside the image): node localstack-stand-in.mjs EMULATOR_BUNDLE
 * It starts `node EMULATOR_BUNDLE --port 0` on loopback, copies its output, and stops it on
 * SIGTERM or SIGINT (as PID 1 of a container, Node gets no default handler for them).
 */

const PORT = 4566;
const HEALTH = '/_localstack/health';

function main(): void {
  const bundle = process.argv[2];
  if (!bundle) {
    console.error('usage: node localstack-stand-in.mjs EMULATOR_BUNDLE');
    process.exit(2);
  }
  // Never the value: only whether the container was given one (what --backend localstack passes through).
  console.log(`LOCALSTACK_AUTH_TOKEN ${process.env.LOCALSTACK_AUTH_TOKEN ? `received (${process.env.LOCALSTACK_AUTH_TOKEN.length} characters)` : 'not set'}`);

  const emulator = spawn(process.execPath, [bundle, '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let upstreamPort: number | undefined;
  emulator.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (upstreamPort !== undefined) return;
    output += chunk.toString();
    const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    if (listening) {
      upstreamPort = Number(listening[1]);
      listen(upstreamPort);
    }
  });
  emulator.on('exit', (code, signal) => {
    console.error(`emulator exited (${signal ?? `code ${code}`})`);
    process.exit(code ?? 1);
  });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.url === HEALTH || req.url?.startsWith(`${HEALTH}?`)) return health(req, res);
    forward(req, res, upstreamPort!);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function listen(port: number): void {
    server.listen(PORT, '0.0.0.0', () => {
      console.log(`LocalStack stand-in: gateway on 0.0.0.0:${PORT}, emulator on 127.0.0.1:${port}`);
      console.log('Ready.');
    });
  }

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping`);
    server.close();
    for (const socket of sockets) socket.destroy();
    emulator.kill('SIGTERM');
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function health(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'HEAD') return void res.writeHead(200).end();
  const body = JSON.stringify({
    services: { dynamodb: 'running', iam: 'running', s3: 'running', sts: 'running' },
    edition: 'stand-in',
    version: 'aws-dev-labs emulator',
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The request to the emulator as it came, the answer back as it comes. */
function forward(req: IncomingMessage, res: ServerResponse, port: number): void {
  const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`stand-in: the emulator did not answer: ${error.message}\n`);
    else res.destroy();
  });
  req.pipe(upstream);
}

main();
