/**
 * Preloaded (`node --import`) into the process that runs a student's code during batch
 * grading: the only network peer left is the lab emulator (127.0.0.1:<its port>, from
 * GRADING_ALLOWED_PORT). Every other TCP/TLS/HTTP/fetch connection, every Unix-socket
 * connection, every DNS query and every UDP datagram is refused HERE, in this process,
 * before the operating system is asked for anything: no packet leaves.
 *
 * Plain JavaScript because it loads before any TypeScript loader exists in the process.
 *
 * What this is and is not: Node 20's permission model has no network permission, so
 * this is a JavaScript-level guard on the public chokepoints (net.Socket#connect, which
 * http, https, tls, http2 and fetch all go through; dns; dgram). Code that reaches
 * Node's internal bindings could go around it; under --experimental-permission,
 * process.binding is refused, which closes the usual way there (see docs/instructors.md).
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const allowedPort = Number(process.env.GRADING_ALLOWED_PORT);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);

export const BLOCKED_CODE = 'ERR_GRADING_NETWORK_BLOCKED';

function blocked(what) {
  const error = new Error(`Network access is blocked during grading: ${what}. Your code may only talk to the lab emulator (AWS_ENDPOINT_URL).`);
  error.code = BLOCKED_CODE;
  return error;
}

/** net.Socket#connect's overloads: (options[, cb]), (port[, host][, cb]), (path[, cb]). */
function target(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    if (first.path != null) return { path: String(first.path) };
    return { host: first.host ?? 'localhost', port: Number(first.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const to = target(args);
  const allowed = to.path === undefined && LOOPBACK.has(String(to.host).replace(/^\[|\]$/g, '')) && to.port === allowedPort;
  if (allowed) return originalConnect.apply(this, args);
  const error = blocked(to.path !== undefined ? `connection to the socket ${to.path}` : `connection to ${to.host}:${to.port}`);
  // Fail the way a refused connection fails: asynchronously, as an 'error' on the socket.
  process.nextTick(() => this.destroy(error));
  return this;
};

/** IP literals and localhost never need a DNS server (getaddrinfo answers them locally). */
function answeredLocally(hostname) {
  return net.isIP(String(hostname)) !== 0 || LOOPBACK.has(String(hostname));
}

function refuseLookup(name, original) {
  return function refused(hostname, ...rest) {
    if (name === 'lookup' && answeredLocally(hostname)) return original.call(this, hostname, ...rest);
    const callback = rest.find((arg) => typeof arg === 'function');
    const error = blocked(`DNS ${name}(${JSON.stringify(hostname)})`);
    if (callback) process.nextTick(() => callback(error));
    else throw error;
  };
}

for (const name of Object.keys(dns)) {
  if (/^(lookup|lookupService|resolve\w*|reverse)$/.test(name)) dns[name] = refuseLookup(name, dns[name]);
}
for (const name of Object.keys(dns.promises)) {
  if (!/^(lookup|lookupService|resolve\w*|reverse)$/.test(name)) continue;
  const original = dns.promises[name];
  dns.promises[name] = async (hostname, ...rest) => {
    if (name === 'lookup' && answeredLocally(hostname)) return original(hostname, ...rest);
    throw blocked(`DNS ${name}(${JSON.stringify(hostname)})`);
  };
}
dns.Resolver = class BlockedResolver {
  constructor() {
    throw blocked('a DNS resolver');
  }
};

dgram.Socket.prototype.send = function blockedSend() {
  throw blocked('sending UDP datagrams');
};
dgram.Socket.prototype.connect = function blockedUdpConnect() {
  throw blocked('connecting a UDP socket');
};
