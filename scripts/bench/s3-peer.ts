/**
 * `npm run bench -- --only peer`: one fixed SDK workload (peer-workload.ts) against the
 * embedded emulator, moto_server (the peer) and a null server (null-server.ts: the limit,
 * what the SDK and node:http cost with no work behind them), all in the same run so the
 * ratios mean something on whatever machine runs it. Rounds alternate the order, so warm-up,
 * CPU frequency and background load fall on all three. Two modes: one request at a time (the
 * per-request cost a lab check pays) and 64 concurrent clients (each its own SDK clients and
 * bucket). The embedded emulator and the null server share this process with the SDK
 * clients; moto runs in its own.
 */
import { parseArgs } from 'node:util';
import { startBackend } from '../../backends/index.ts';
import { startNullServer } from './null-server.ts';
import { requestsOf, runConcurrently, runWorkload, workloadKeys, type WorkloadShape, type WorkloadTarget } from './peer-workload.ts';
import { goalLine } from './goal.ts';

interface Tally {
  target: WorkloadTarget;
  seconds: number;
  requests: number;
}

interface Mode {
  name: string;
  shape: WorkloadShape;
  clients: number;
  /** The embedded emulator's rate as a fraction of the null server's, at least. */
  goalOfNull: number;
}

function positive(raw: string | undefined, option: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${option} takes a positive integer`);
  return value;
}

async function measure(mode: Mode, targets: WorkloadTarget[], rounds: number): Promise<Tally[]> {
  const tallies = targets.map((target) => ({ target, seconds: 0, requests: 0 }));
  const once = (target: WorkloadTarget, round: number) =>
    mode.clients === 1
      ? runWorkload(target, mode.shape, `peer-bench-${round + 1}-${process.pid}`)
      : runConcurrently(target, mode.shape, mode.clients, `peer-bench-c${round + 1}-${process.pid}`);
  // One untimed round each: moto's first requests import its S3/STS modules, ours JIT-compile.
  for (const tally of tallies) await once(tally.target, -2);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? tallies : [...tallies].reverse();
    for (const tally of order) {
      tally.seconds += await once(tally.target, round);
      tally.requests += requestsOf(mode.shape) * mode.clients;
    }
  }
  return tallies;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '2' },
      objects: { type: 'string', default: '300' },
      'identity-calls': { type: 'string', default: '100' },
      clients: { type: 'string', default: '64' },
      'objects-per-client': { type: 'string', default: '10' },
      'identity-calls-per-client': { type: 'string', default: '5' },
    },
  });
  const rounds = positive(values.rounds, 'rounds');
  const modes: Mode[] = [
    { name: 'sequential', clients: 1, goalOfNull: 0.8, shape: { objects: positive(values.objects, 'objects'), objectBytes: 1024, identityCalls: positive(values['identity-calls'], 'identity-calls') } },
    {
      name: `${positive(values.clients, 'clients')} concurrent clients`,
      clients: positive(values.clients, 'clients'),
      goalOfNull: 0.6,
      shape: { objects: positive(values['objects-per-client'], 'objects-per-client'), objectBytes: 1024, identityCalls: positive(values['identity-calls-per-client'], 'identity-calls-per-client') },
    },
  ];

  const embedded = await startBackend('embedded');
  const started: Array<{ stop(): Promise<void> }> = [embedded];
  try {
    const moto = await startBackend('moto');
    started.push(moto);
    const results = [];
    for (const mode of modes) {
      // The null server lists the workload's keys, so each mode gets one sized to it.
      const nullServer = await startNullServer({ objectBytes: mode.shape.objectBytes, listedKeys: workloadKeys(mode.shape), accountId: embedded.accountId });
      try {
        const targets: WorkloadTarget[] = [
          { name: 'null server', endpoint: nullServer.endpoint, credentials: embedded.credentials, accountId: embedded.accountId },
          embedded,
          moto,
        ];
        results.push({ mode, tallies: await measure(mode, targets, rounds) });
      } finally {
        await nullServer.stop();
      }
    }

    const rate = (t: Tally) => t.requests / t.seconds;
    const summary: Record<string, unknown> = { benchmark: 's3-peer' };
    for (const { mode, tallies } of results) {
      const [limit, ours, peer] = tallies as [Tally, Tally, Tally];
      const rows = tallies.map((t) => [t.target.name, String(t.requests), `${t.seconds.toFixed(2)} s`, `${rate(t).toFixed(0)} req/s`]);
      const header = ['backend', 'requests', 'time', 'rate'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
      const perClient = requestsOf(mode.shape);
      console.log(`S3 + STS workload, ${mode.name} (${perClient} requests a round${mode.clients > 1 ? ' per client' : ''}, ${rounds} rounds each, alternating order):`);
      for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line(row));
      const ofNull = rate(ours) / rate(limit);
      const ofMoto = rate(ours) / rate(peer);
      console.log(goalLine(`${mode.name}: embedded / null server`, ofNull, mode.goalOfNull, 'percent'));
      console.log(goalLine(`${mode.name}: embedded / moto`, ofMoto, 3, 'times'));
      console.log('');
      summary[mode.clients === 1 ? 'sequential' : 'concurrent'] = {
        clients: mode.clients,
        requests: ours.requests,
        nullRequestsPerSecond: Math.round(rate(limit)),
        embeddedRequestsPerSecond: Math.round(rate(ours)),
        motoRequestsPerSecond: Math.round(rate(peer)),
        fractionOfNull: Number(ofNull.toFixed(3)),
        ratioToMoto: Number(ofMoto.toFixed(2)),
      };
    }
    console.log(JSON.stringify(summary));
  } finally {
    for (const backend of started.reverse()) await backend.stop();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
