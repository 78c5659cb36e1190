// The sandbox mesh proxy's cost: latency (p50/p99) and throughput of requests sent through a
// Service's proxy, against the same requests sent straight to the Deployment's pods, measured
// in the same run and interleaved (ABBA), so a noisy neighbour hits both alike.
//
// The sandbox (API server, workloads, mesh; no Prometheus, no user traffic) runs in a child
// process, as it does for Aviary; this process is only the client, so its own CPU does not come
// out of the proxy's.
//
// The demo image catalogue has no image without simulated latency: every shop path of a pod
// sleeps a log-normal ~30 ms, which would bury a proxy hop of a few hundred µs. A pod's
// `GET /healthz` answers at once (packages/sandbox/IMAGES.md) and the mesh routes it like any
// other path (the seeded VirtualService has no URI match), so both sides request `/healthz`.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@aviary/sandbox';
import { startChild, stopChild } from './lib/child.ts';
import { type LoadWindow, closedLoop } from './lib/closed-loop.ts';
import { fmt, quantile, report } from './lib/stats.ts';

/** Each round: one sequential batch and one concurrent window per side. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const batch = 300;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Short windows, many rounds: on a shared machine the load changes by the second, and a pair
// of adjacent windows sees nearly the same load (the paired ratio below relies on that).
const windowMs = 400;
const path = '/healthz';
const service = 'catalog';
const namespace = 'shop';

interface Targets {
  /** The pods of the `catalog` Deployment (the mesh round-robins over the same ones). */
  pods: number[];
  /** The `catalog` Service's mesh proxy. */
  mesh: number;
}

// --- the sandbox side (child process) -------------------------------------------------------

async function serveSandbox(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-mesh-'));
  const sandbox = await startSandbox({ dir, prometheus: 'none', rps: 0 });
  try {
    const selector = encodeURIComponent(`app=${service},version=stable`);
    const res = await fetch(
      `${sandbox.endpoints.apiServer}/api/v1/namespaces/${namespace}/pods?labelSelector=${selector}`,
    );
    const pods = (await res.json()) as { items: { metadata: { annotations?: Record<string, string> } }[] };
    const ports = pods.items.map((p) => Number(p.metadata.annotations?.['sandbox.aviary.dev/port']));
    const address = sandbox.mesh.addressOf(namespace, service);
    if (ports.length === 0 || ports.some((p) => !p) || !address) throw new Error('no catalog pods or proxy');
    const ready: Targets = { pods: ports, mesh: Number(address.split(':')[1]) };
    process.send!(ready);
    // CPU time this process has used so far (µs), for the parent's per-request cost.
    process.on('message', (m) => {
      if (m === 'cpu') {
        const { user, system } = process.cpuUsage();
        process.send!({ cpuUs: user + system });
      }
    });
    // The parent disconnects when it is done (or dies).
    await new Promise((resolve) => process.once('disconnect', resolve));
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serveSandbox();

// --- the client side (this process) ---------------------------------------------------------

function get(agent: Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path} on :${port}: ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `n` requests one after the other over keep-alive sockets, round-robin over `ports`; µs each. */
async function sequential(agent: Agent, ports: number[], n: number, out: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await get(agent, ports[i % ports.length]!);
    out.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
}

/** `connections` keep-alive clients in a closed loop for `ms`, round-robin over `ports`. */
function concurrent(child: ChildProcess, agent: Agent, ports: number[], ms: number) {
  return closedLoop(child, connections, ms, (c) => get(agent, ports[c % ports.length]!));
}

export async function run(): Promise<void> {
  const { child, ready } = startChild<Targets>(
    fileURLToPath(import.meta.url),
    import.meta.dirname,
    'the sandbox',
  );
  // Separate pools, each allowed one socket per client connection per port.
  const directAgent = new Agent({ keepAlive: true, maxSockets: connections });
  const meshAgent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    const targets = await ready;
    const direct = { agent: directAgent, ports: targets.pods };
    const mesh = { agent: meshAgent, ports: [targets.mesh] };

    // Warm up both paths (JIT, sockets, the mesh's upstream pool) and check they answer.
    for (const side of [direct, mesh]) {
      await sequential(side.agent, side.ports, batch, []);
      await concurrent(child, side.agent, side.ports, 300);
    }

    const directUs: number[] = [];
    const meshUs: number[] = [];
    const directWin: LoadWindow[] = [];
    const meshWin: LoadWindow[] = [];
    for (let r = 0; r < rounds; r++) {
      // ABBA: alternate which side goes first, so a drift in load favours neither.
      const order = r % 2 === 0 ? [direct, mesh] : [mesh, direct];
      for (const side of order) {
        await sequential(side.agent, side.ports, batch, side === direct ? directUs : meshUs);
      }
      for (const side of order) {
        const w = await concurrent(child, side.agent, side.ports, windowMs);
        (side === direct ? directWin : meshWin).push(w);
      }
    }

    const p = (xs: number[], q: number) => quantile(xs, q);
    const med = (ws: LoadWindow[], k: keyof LoadWindow) =>
      quantile(
        ws.map((w) => w[k]),
        0.5,
      );
    const added50 = p(meshUs, 0.5) - p(directUs, 0.5);
    console.log(
      `  ${rounds} rounds; GET ${path} on ${service}'s ${targets.pods.length} pods, direct vs through its mesh proxy`,
    );
    console.log(`  sequential: ${directUs.length} requests per side, one keep-alive connection at a time`);
    report([
      { name: 'direct p50', value: p(directUs, 0.5), unit: 'µs' },
      { name: 'direct p99', value: p(directUs, 0.99), unit: 'µs' },
      { name: 'via mesh p50', value: p(meshUs, 0.5), unit: 'µs', baseline: p(directUs, 0.5) },
      { name: 'via mesh p99', value: p(meshUs, 0.99), unit: 'µs', baseline: p(directUs, 0.99) },
      { name: 'added by the mesh p50', value: added50, unit: 'µs' },
      { name: 'added by the mesh p99', value: p(meshUs, 0.99) - p(directUs, 0.99), unit: 'µs' },
    ]);
    console.log(
      `  concurrent: ${connections} keep-alive connections, ${rounds} × ${windowMs} ms per side (medians of rounds)`,
    );
    report([
      { name: 'direct throughput', value: med(directWin, 'rps'), unit: 'req/s' },
      {
        name: 'via mesh throughput',
        value: med(meshWin, 'rps'),
        unit: 'req/s',
        baseline: med(directWin, 'rps'),
      },
      { name: 'sandbox CPU per request, direct', value: med(directWin, 'serverCpuUs'), unit: 'µs' },
      {
        name: 'sandbox CPU per request, via mesh',
        value: med(meshWin, 'serverCpuUs'),
        unit: 'µs',
        baseline: med(directWin, 'serverCpuUs'),
      },
    ]);
    const ratios = meshWin.map((w, i) => w.rps / directWin[i]!.rps).sort((x, y) => x - y);
    console.log(
      `  ${'paired req/s ratio mesh/direct'.padEnd(34)} ${fmt(quantile(ratios, 0.5)).padStart(10)}×` +
        `  (quartiles ${fmt(quantile(ratios, 0.25))}–${fmt(quantile(ratios, 0.75))})`,
    );
    const load = (ws: LoadWindow[]) =>
      `sandbox ${fmt(med(ws, 'serverLoad') * 100, 0)} %, client ${fmt(med(ws, 'clientLoad') * 100, 0)} %`;
    console.log(`  cores busy (of one): direct ${load(directWin)}; via mesh ${load(meshWin)}`);
    if (med(directWin, 'clientLoad') > 0.9) {
      console.log('  (the direct run is bound by this client, not the pods: its throughput is a floor)');
    }
    if (added50 > 0) {
      console.log(
        `  for scale: any other pod path sleeps a simulated ~30 000 µs median, ${fmt(30_000 / added50, 0)}× the mesh's added p50`,
      );
    }
  } finally {
    directAgent.destroy();
    meshAgent.destroy();
    await stopChild(child, 'the sandbox');
  }
}
