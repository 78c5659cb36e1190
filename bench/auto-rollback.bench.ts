// Time from a bad canary's weight change to Aviary's automatic rollback, on the sandbox with
// the real Prometheus, against the floor the measurement itself sets: the requests the
// sequential test needs at that traffic, plus one scrape and one gate interval.
// BENCH_ROUNDS (default 3) rollouts of the catalogue's `-errors` image (8% 5xx vs stable's 0.2%).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import { sprtBounds, sprtExpectedSamples } from '@aviary/core';
import { startSandbox } from '@aviary/sandbox';
import { fmt, quantile } from './lib/stats.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const rps = 50;
const weight = 10;
const scrapeSeconds = 5;
const gateSeconds = 5;
const token = 'bench-admin-token-0123456789-abcdef';

type Json = Record<string, unknown> & { items?: Json[] };

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-'));
  const sandbox = await startSandbox({
    dir: join(dir, 'sandbox'),
    rps,
    scrapeIntervalSeconds: scrapeSeconds,
  });
  const server = await startServer(
    readEnv(
      {
        AVIARY_PORT: '0',
        AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
        AVIARY_PROMETHEUS_URL: sandbox.endpoints.prometheus ?? '',
        AVIARY_DB: join(dir, 'aviary.db'),
        AVIARY_ADMIN_TOKEN: token,
        AVIARY_GATE_INTERVAL: String(gateSeconds),
        AVIARY_LOG_LEVEL: 'silent',
      },
      {},
    ),
  );
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Json;
  };

  // The floor: the SPRT's expected sample size at the true rates, as the gate runs it.
  const stableRate = 0.002;
  const canaryRate = 0.08;
  const tolerance = 0.005;
  const needed = sprtExpectedSamples(
    canaryRate,
    stableRate + tolerance,
    stableRate + 2 * tolerance,
    sprtBounds(0.01, 0.05),
  );
  const canaryRps = (rps * weight) / 100;
  const floorSeconds = needed / canaryRps + scrapeSeconds + gateSeconds;

  const seconds: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = await call('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'checkout',
      image: `registry.local/shop/checkout:2.${i}.0-errors`,
      steps: [weight, 50, 100],
    });
    const id = started.id as string;
    const deadline = Date.now() + 10 * 60_000;
    let events: Json[] = [];
    for (;;) {
      events = ((await call('GET', `/api/v1/rollouts/${id}/events`)).items ?? []) as Json[];
      if (events.some((e) => e.action === 'rollback')) break;
      if (Date.now() > deadline) throw new Error(`rollout ${id} was not rolled back within 10 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const step = events.find((e) => e.action === 'step');
    const rollback = events.find((e) => e.action === 'rollback');
    if (rollback?.actor !== 'aviary')
      throw new Error(`rolled back by ${String(rollback?.actor)}, not by the guard`);
    const took = (Date.parse(rollback.at as string) - Date.parse(step?.at as string)) / 1000;
    seconds.push(took);
    console.log(
      `  round ${i + 1}: rolled back ${fmt(took, 1)} s after the weight went to ${weight}% — "${String(rollback.reason).slice(0, 110)}…"`,
    );
    // Let the canary scale down before the next round.
    for (;;) {
      const r = await call('GET', `/api/v1/rollouts/${id}`);
      if (r.operation === null) break;
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  console.log(
    `  ${rps} req/s, canary at ${weight}% (${canaryRps} req/s), scrape every ${scrapeSeconds} s, gate every ${gateSeconds} s`,
  );
  console.log(
    `  floor: ~${Math.round(needed)} canary requests (${fmt(needed / canaryRps, 1)} s) + one scrape + one gate interval = ${fmt(floorSeconds, 1)} s`,
  );
  console.log(
    `  measured median ${fmt(quantile(seconds, 0.5), 1)} s (max ${fmt(Math.max(...seconds), 1)} s): ratio ${fmt(quantile(seconds, 0.5) / floorSeconds)}× the floor`,
  );
  await server.stop();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
