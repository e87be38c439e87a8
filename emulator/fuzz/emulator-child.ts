import { startEmulator } from '../server.ts';

/**
 * The emulator in a process of its own, for the robustness tests: a crash there is
 * seen as a dead process (not as a dead test runner), and its open files are counted
 * from outside. Prints one JSON line with its port; stops when stdin closes.
 */
const emulator = await startEmulator({ settings: { tableCreateDelayMs: 50, tableDeleteDelayMs: 50 } });
process.stdout.write(`${JSON.stringify({ port: emulator.port })}\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
