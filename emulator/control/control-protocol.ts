/**
 * The control API's wire constants, in a module of their own: the checks' process and the
 * backends' control client need them, and importing control-api.ts would load the emulator's
 * services with it (measured: ~0.45 s of every lab's check start).
 */

/** Reserved path: no bucket can be named `_emulator` (underscore is not allowed in bucket names). */
export const CONTROL_PREFIX = '/_emulator/';

/** The header that carries the control token, when the emulator was started with one. */
export const CONTROL_TOKEN_HEADER = 'x-emulator-control-token';
