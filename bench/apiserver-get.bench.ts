// GET throughput of the sandbox's Kubernetes API server (one Deployment, and the list of
// Deployments in a namespace) against a bare node:http server on loopback answering the same
// bytes, pre-serialized: the floor of any Node HTTP server on this machine. Measured in the same
// run, interleaved (ABBA), with N keep-alive clients in a closed loop.
//
// Both servers run in one child process (the sandbox with no Prometheus and no user traffic,
// and the bare server next to it), so they share the same event loop, the same idle sandbox
// and the same core; this process is only the client.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@aviary/sandbox';
import { startChild, stopChild } from './lib/child.ts';
import { type LoadWindow, closedLoop } from './lib/closed-loop.ts';
import { fmt, quantile, report } from './lib/stats.ts';

/** Each round: one window per server per request kind. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Short windows, many rounds: on a shared machine the load changes by the second, and a pair
// of adjacent windows sees nearly the same load (the paired ratio below relies on that).
const windowMs = 250;

const kinds = [
  { name: 'GET one Deployment', path: '/apis/apps/v1/namespaces/shop/deployments/checkout' },
  { name: 'LIST Deployments in shop', path: '/apis/apps/v1/namespaces/shop/deployments' },
] as const;

interface Ready {
  sandbox: number;
  bare: number;
  /** Body length of each kind's answer (the same bytes from both servers). */
  bytes: number[];
  items: number;
}

// --- the servers (child process) ------------------------------------------------------------

async function serveBoth(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-apiserver-'));
  const sandbox = await startSandbox({ dir, prometheus: 'none', rps: 0 });
  let bare: Server | undefined;
  try {
    // What the sandbox answers now, kept as bytes: the bare server only looks the path up.
    const answers = new Map<string, { type: string; body: Buffer }>();
    for (const { path } of kinds) {
      const res = await fetch(sandbox.endpoints.apiServer + path, {
        headers: { accept: 'application/json' },
      });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      answers.set(path, {
        type: res.headers.get('content-type') ?? 'application/json',
        body: Buffer.from(await res.arrayBuffer()),
      });
    }
    const server = createServer((req, res) => {
      const answer = answers.get(req.url ?? '');
      if (!answer) return void res.writeHead(404).end();
      // The same headers the sandbox's sendJson writes.
      res.writeHead(200, { 'content-type': answer.type, 'content-length': answer.body.length });
      res.end(answer.body);
    });
    bare = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const list = JSON.parse(answers.get(kinds[1].path)!.body.toString()) as { items: unknown[] };
    const ready: Ready = {
      sandbox: Number(new URL(sandbox.endpoints.apiServer).port),
      bare: (server.address() as AddressInfo).port,
      bytes: kinds.map((k) => answers.get(k.path)!.body.length),
      items: list.items.length,
    };
    process.send!(ready);
    process.on('message', (m) => {
      if (m === 'cpu') {
        const { user, system } = process.cpuUsage();
        process.send!({ cpuUs: user + system });
      }
    });
    // The parent disconnects when it is done (or dies).
    await new Promise((resolve) => process.once('disconnect', resolve));
  } finally {
    if (bare?.listening) {
      const server = bare;
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    }
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serveBoth();

// --- the client (this process) --------------------------------------------------------------

/** One GET; resolves with the body's length. */
function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { accept: 'application/json' } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(bytes)
            : reject(new Error(`GET ${path} on :${port}: ${res.statusCode}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** `connections` keep-alive clients in a closed loop for `ms`; checks every answer's length. */
function load(child: ChildProcess, agent: Agent, port: number, path: string, bytes: number, ms: number) {
  return closedLoop(child, connections, ms, async () => {
    const got = await get(agent, port, path);
    if (got !== bytes) throw new Error(`GET ${path} on :${port}: ${got} bytes, expected ${bytes}`);
  });
}

export async function run(): Promise<void> {
  const { child, ready } = startChild<Ready>(
    fileURLToPath(import.meta.url),
    import.meta.dirname,
    'the servers',
  );
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    const ports = await ready;
    const servers: { name: 'bare' | 'sandbox'; port: number }[] = [
      { name: 'bare', port: ports.bare },
      { name: 'sandbox', port: ports.sandbox },
    ];
    const results = kinds.map(() => ({ bare: [] as LoadWindow[], sandbox: [] as LoadWindow[] }));

    // Warm up every server × kind (JIT, sockets).
    for (const [k, kind] of kinds.entries()) {
      for (const s of servers) await load(child, agent, s.port, kind.path, ports.bytes[k]!, 300);
    }
    for (let r = 0; r < rounds; r++) {
      // ABBA: alternate which server goes first, so a drift in load favours neither.
      const order = r % 2 === 0 ? servers : [...servers].reverse();
      for (const [k, kind] of kinds.entries()) {
        for (const s of order) {
          results[k]![s.name].push(await load(child, agent, s.port, kind.path, ports.bytes[k]!, windowMs));
        }
      }
    }

    const med = (ws: LoadWindow[], key: keyof LoadWindow) =>
      quantile(
        ws.map((w) => w[key]),
        0.5,
      );
    const pct = (ws: LoadWindow[], key: keyof LoadWindow) => `${fmt(med(ws, key) * 100, 0)} %`;
    // Each round's two windows ran back to back: their ratio cancels most of the machine's drift.
    const paired = (subject: LoadWindow[], base: LoadWindow[]) =>
      subject.map((w, i) => w.rps / base[i]!.rps).sort((x, y) => x - y);
    console.log(
      `  ${rounds} rounds × ${windowMs} ms per server and request, ${connections} keep-alive clients; ` +
        'baseline: bare node:http answering the same bytes',
    );
    for (const [k, kind] of kinds.entries()) {
      const { bare, sandbox } = results[k]!;
      const what = k === 1 ? `${ports.items} items, ${ports.bytes[k]} B` : `${ports.bytes[k]} B`;
      console.log(`  ${kind.name} (${what}): ${kind.path}`);
      const ratios = paired(sandbox, bare);
      report([
        { name: 'bare node:http (median)', value: med(bare, 'rps'), unit: 'req/s' },
        {
          name: 'sandbox API server (median)',
          value: med(sandbox, 'rps'),
          unit: 'req/s',
          baseline: med(bare, 'rps'),
        },
        { name: 'server CPU per request, bare', value: med(bare, 'serverCpuUs'), unit: 'µs' },
        {
          name: 'server CPU per request, sandbox',
          value: med(sandbox, 'serverCpuUs'),
          unit: 'µs',
          baseline: med(bare, 'serverCpuUs'),
        },
      ]);
      console.log(
        `  ${'paired req/s ratio sandbox/bare'.padEnd(34)} ${fmt(quantile(ratios, 0.5)).padStart(10)}×` +
          `  (quartiles ${fmt(quantile(ratios, 0.25))}–${fmt(quantile(ratios, 0.75))})`,
      );
      console.log(
        `  cores busy (of one): bare: server ${pct(bare, 'serverLoad')}, client ${pct(bare, 'clientLoad')}; ` +
          `sandbox: server ${pct(sandbox, 'serverLoad')}, client ${pct(sandbox, 'clientLoad')}`,
      );
      if (med(bare, 'clientLoad') > 0.9) {
        console.log(
          '  (the client saturates its core on the baseline, so the floor is partly the client: the req/s ratio ' +
            'flatters the sandbox; the CPU-per-request ratio does not depend on it)',
        );
      }
    }
  } finally {
    agent.destroy();
    await stopChild(child, 'the servers');
  }
}
