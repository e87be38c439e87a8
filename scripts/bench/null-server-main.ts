/**
 * The null server (null-server.ts) as a process of its own, for the start benchmark's floor:
 * bundled to dist/null-server.mjs and started with plain node, it is what any node:http
 * server costs from spawn to its first answer on this machine, with no emulator work at all.
 * Prints `listening on http://127.0.0.1:PORT` as the emulator does; stops on SIGTERM.
 */
import { startNullServer } from './null-server.ts';

const server = await startNullServer({ objectBytes: 0, listedKeys: [], accountId: '000000000000' });
console.log(`null server listening on ${server.endpoint}`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
