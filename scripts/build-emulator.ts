import { fileURLToPath } from 'node:url';
import { EMULATOR_BUNDLE, EMULATOR_ENTRY, writeStandaloneBundle } from '../grader/standalone-bundles.ts';

/**
 * `npm run build:emulator`: the embedded emulator as one file (dist/emulator.mjs), started
 * with plain `node dist/emulator.mjs [--port N] [--host ADDR]`, with the options and banner
 * of `npm run emulator`. The container image (docker/Dockerfile) copies this file.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = await writeStandaloneBundle(root, EMULATOR_ENTRY, EMULATOR_BUNDLE);
console.log(`${EMULATOR_BUNDLE}: ${(bundle.text.length / 1024).toFixed(0)} KiB, sha256 ${bundle.hash.slice(0, 16)}; run it with: node ${EMULATOR_BUNDLE} --port 4566`);
