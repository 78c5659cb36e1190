// Latency of a rollback request (the whole API path: auth, validation, SQLite, the cluster
// writes) against the floor of one bare client-node PATCH of the same VirtualService, measured
// in the same run against the same sandbox API server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import { startSandbox } from '@aviary/sandbox';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { fmt, quantile, report } from './lib/stats.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const token = 'bench-admin-token-0123456789';

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-'));
  const sandbox = await startSandbox({
    dir: join(dir, 'sandbox'),
    rps: 0,
    readyDelayMs: 50,
    prometheus: 'none',
  });
  const server = await startServer(
    readEnv(
      {
        AVIARY_PORT: '0',
        AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
        AVIARY_DB: join(dir, 'aviary.db'),
        AVIARY_ADMIN_TOKEN: token,
        AVIARY_LOG_LEVEL: 'silent',
      },
      {},
    ),
  );
  const kc = new KubeConfig();
  kc.loadFromFile(sandbox.endpoints.kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as { id: string; phase: string; operation: string | null };
  };
  const vs = {
    group: 'networking.istio.io',
    version: 'v1',
    namespace: 'shop',
    plural: 'virtualservices',
    name: 'catalog',
  };
  const patchOnce = async (canary: number) => {
    const host = 'catalog.shop.svc.cluster.local';
    const t0 = process.hrtime.bigint();
    await custom.patchNamespacedCustomObject(
      {
        ...vs,
        body: {
          spec: {
            http: [
              {
                name: 'primary',
                route: [
                  { destination: { host, subset: 'stable' }, weight: 100 - canary },
                  { destination: { host, subset: 'canary' }, weight: canary },
                ],
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };

  const rollbackMs: number[] = [];
  const patchMs: number[] = [];
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
    const t0 = process.hrtime.bigint();
    const done = await call('POST', `/api/v1/rollouts/${started.id}/actions`, {
      type: 'rollback',
      reason: 'bench',
    });
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (done.phase !== 'rolled-back') throw new Error(`rollback ended ${done.phase}`);
    // Interleave the baseline so both see the same machine load; the first rounds warm up.
    const base = await patchOnce(0);
    if (i >= 3) {
      rollbackMs.push(elapsed);
      patchMs.push(base);
    }
  }
  console.log(`  ${rounds} rounds; rollback = the POST /actions {type: rollback} request, end to end`);
  report([
    { name: 'rollback p50', value: quantile(rollbackMs, 0.5), unit: 'ms', baseline: quantile(patchMs, 0.5) },
    {
      name: 'rollback p95',
      value: quantile(rollbackMs, 0.95),
      unit: 'ms',
      baseline: quantile(patchMs, 0.95),
    },
  ]);
  console.log(
    `  goal: p50 ratio ≤ 1.5× → ${quantile(rollbackMs, 0.5) / quantile(patchMs, 0.5) <= 1.5 ? 'met' : 'NOT met'} (${fmt(quantile(rollbackMs, 0.5) / quantile(patchMs, 0.5))}×)`,
  );
  await server.stop();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
