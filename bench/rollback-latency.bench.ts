// Latency of a rollback request (the whole API path: auth, validation, SQLite, the cluster
// write) against the floor of one bare client-node PATCH of the same VirtualService, measured
// in the same run against the same sandbox API server. The sandbox and the API each run in a
// process of their own, as a cluster and Aviary would; this process is only the client.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { fmt, quantile, report } from './lib/stats.ts';
import { goal } from './lib/goals.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 60);
const token = 'bench-admin-token-0123456789-abcdef';
const root = join(import.meta.dirname, '..');

function spawnWithOutput(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-'));
  const sandbox = spawnWithOutput(['src/cli.ts'], join(root, 'packages', 'sandbox'), {
    AVIARY_SANDBOX_DIR: join(dir, 'sandbox'),
    AVIARY_SANDBOX_RPS: '0',
    // No Prometheus is needed to roll back; point at nothing rather than start one.
    AVIARY_SANDBOX_PROMETHEUS_URL: 'http://127.0.0.1:9',
  });
  await until('the sandbox', () =>
    sandbox.output().includes('Aviary sandbox is running') ? true : undefined,
  );
  const endpoints = JSON.parse(await readFile(join(dir, 'sandbox', 'endpoints.json'), 'utf8')) as {
    kubeconfig: string;
  };
  const api = spawnWithOutput(
    [
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', '--cpu-prof-interval=50', '--cpu-prof-dir=/tmp/prof']
        : []),
      'src/server.ts',
    ],
    join(root, 'apps', 'api'),
    {
      AVIARY_PORT: '0',
      AVIARY_KUBECONFIG: endpoints.kubeconfig,
      AVIARY_DB: join(dir, 'aviary.db'),
      AVIARY_ADMIN_TOKEN: token,
      AVIARY_LOG_LEVEL: 'warn',
    },
  );
  const url = await until('the API', () => api.output().match(/Aviary API on (http:\/\/\S+)/)?.[1]);
  const server = { url };
  const kc = new KubeConfig();
  kc.loadFromFile(endpoints.kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);
  // A keep-alive client, as a CLI or pipeline talking to Aviary would use.
  const agent = new Agent({ keepAlive: true });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ id: string; phase: string; operation: string | null }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        server.url + path,
        { method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const vs = {
    group: 'networking.istio.io',
    version: 'v1',
    namespace: 'shop',
    plural: 'virtualservices',
    name: 'catalog',
  };
  // The baseline is a real write of the same object (an annotation, so Aviary sees no drift).
  const patchOnce = async (round: number) => {
    const t0 = process.hrtime.bigint();
    await custom.patchNamespacedCustomObject(
      { ...vs, body: { metadata: { annotations: { 'bench.aviary.dev/round': String(round) } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const quiet = () => new Promise((res) => setTimeout(res, 30));

  const rollbackMs: number[] = [];
  const patchMs: number[] = [];
  const healthMs: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    const started = await call('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'catalog',
      image: `registry.local/shop/catalog:9.${i}.0`,
    });
    for (;;) {
      const r = await call('GET', `/api/v1/rollouts/${started.id}`);
      if (r.phase === 'progressing' && !r.operation) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    // Both measured on a quiet system, one right after the other, so they see the same load.
    await quiet();
    const base = await patchOnce(i);
    await quiet();
    const h0 = process.hrtime.bigint();
    await call('GET', '/healthz');
    const health = Number(process.hrtime.bigint() - h0) / 1e6;
    await quiet();
    const t0 = process.hrtime.bigint();
    const done = await call('POST', `/api/v1/rollouts/${started.id}/actions`, {
      type: 'rollback',
      reason: 'bench',
    });
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (done.phase !== 'rolled-back') throw new Error(`rollback ended ${done.phase}`);
    // The first rounds warm up.
    if (i >= 3) {
      rollbackMs.push(elapsed);
      patchMs.push(base);
      healthMs.push(health);
    }
    // Let the cleanup (canary to zero) finish before the next round.
    for (;;) {
      const r = await call('GET', `/api/v1/rollouts/${started.id}`);
      if (!r.operation) break;
      await new Promise((res) => setTimeout(res, 10));
    }
  }
  console.log(`  ${rounds} rounds; rollback = the POST /actions {type: rollback} request, end to end`);
  report([
    {
      name: 'API round trip (GET /healthz) p50',
      value: quantile(healthMs, 0.5),
      unit: 'ms',
      baseline: quantile(patchMs, 0.5),
    },
    { name: 'rollback p50', value: quantile(rollbackMs, 0.5), unit: 'ms', baseline: quantile(patchMs, 0.5) },
    {
      name: 'rollback p95',
      value: quantile(rollbackMs, 0.95),
      unit: 'ms',
      baseline: quantile(patchMs, 0.95),
    },
  ]);
  // Each round's rollback over the PATCH measured just before it: the load on this shared
  // machine drifts between rounds, and a paired ratio cancels most of that drift.
  const paired = rollbackMs.map((r, i) => r / patchMs[i]!);
  console.log(
    `  paired ratio (each round's rollback / its PATCH): p25 ${fmt(quantile(paired, 0.25))}×, p50 ${fmt(quantile(paired, 0.5))}×, p75 ${fmt(quantile(paired, 0.75))}×`,
  );
  const medianRatio = quantile(rollbackMs, 0.5) / quantile(patchMs, 0.5);
  goal(medianRatio <= 1.5, `goal: p50 ratio ≤ 1.5× (measured ${fmt(medianRatio)}×)`);
  agent.destroy();
  for (const p of [api, sandbox]) {
    p.child.kill('SIGTERM');
    await new Promise((r) => p.child.once('exit', r));
  }
  await rm(dir, { recursive: true, force: true });
}
