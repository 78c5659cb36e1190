// A healthy canary held at 10% for BENCH_SOAK_MINUTES (default 10) on the sandbox with the real
// Prometheus and the default gate (every second, mixture SPRT): it must never be rolled back.
// Prints how the gate's verdicts were spread over the soak and exits non-zero on a rollback.
// This is the long run the test suite leaves out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import { startSandbox } from '@aviary/sandbox';
import { goal } from './lib/goals.ts';

const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const token = 'bench-admin-token-0123456789-abcdef';

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-soak-'));
  const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), rps: 50 });
  const server = await startServer(
    readEnv(
      {
        AVIARY_PORT: '0',
        AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
        AVIARY_PROMETHEUS_URL: sandbox.endpoints.prometheus ?? '',
        AVIARY_DB: join(dir, 'aviary.db'),
        AVIARY_ADMIN_TOKEN: token,
        AVIARY_LOG_LEVEL: 'silent',
      },
      {},
    ),
  );
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as { id: string; phase: string; verdict: string };
  };
  const started = await call('POST', '/api/v1/rollouts', {
    namespace: 'shop',
    service: 'payments',
    image: 'registry.local/shop/payments:1.1.0',
    steps: [10, 50, 100],
  });
  const verdicts: Record<string, number> = {};
  const end = Date.now() + minutes * 60_000;
  let phase = 'starting';
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 5_000));
    phase = (await call('GET', `/api/v1/rollouts/${started.id}`)).phase;
    if (phase === 'rolled-back') break;
    const verdict = (await call('GET', `/api/v1/rollouts/${started.id}/gate`)).verdict;
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  const seen = Object.entries(verdicts)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  console.log(`  healthy canary at 10% for ${minutes} min, gate read every 5 s: ${seen}`);
  goal(phase !== 'rolled-back', `a healthy canary is never rolled back (phase ${phase})`);
  await server.stop();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
