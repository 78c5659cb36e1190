// Time from a bad canary's weight change to Aviary's automatic rollback, on the sandbox with
// the real Prometheus, against the floor the measurement itself sets: the requests the mixture
// SPRT needs at that traffic plus one scrape interval, and against the 23.9 s median the Wald SPRT
// with 5 s gate rounds took. BENCH_ROUNDS (default 10) rollouts of the catalogue's `-errors` image
// (8% 5xx vs stable's 0.2%). Exits non-zero when the median is above 12 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import { failNull, mixtureAlternatives, mixtureSamplesToBound, sprtBounds } from '@aviary/core';
import { startSandbox } from '@aviary/sandbox';
import { goal } from './lib/goals.ts';
import { fmt, quantile } from './lib/stats.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const rps = 50;
const weight = 10;
const scrapeSeconds = 5;
/** The default gate interval: every active rollout is judged every second. */
const gateSeconds = 1;
const GOAL_SECONDS = 12;
/** The median before the mixture SPRT and 1 s gate rounds (5 rounds, same setup). */
const BEFORE_SECONDS = 23.9;
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

  // The floor: the canary requests the mixture needs at the true rates (its own projection, with
  // stable's share known), plus one scrape interval before Prometheus has them.
  const canaryRate = 0.08;
  const tolerance = 0.005;
  const bound = sprtBounds(0.01, 0.05).fail;
  const p0 = failNull(
    { bad: 0, total: 1 },
    { bad: 2_000_000, total: 1_000_000_000 } /* stable's 0.2%, known */,
    tolerance,
    bound,
  );
  const needed =
    mixtureSamplesToBound({
      bad: 0,
      total: 0,
      share: canaryRate,
      p0,
      alternatives: mixtureAlternatives(p0, tolerance),
      bound,
    }) ?? Number.NaN;
  const canaryRps = (rps * weight) / 100;
  const floorSeconds = needed / canaryRps + scrapeSeconds;
  const seconds: number[] = [];
  const atFail: number[] = [];
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
    // The reason names the canary's counts at the fail ("5xx 9.3% (5/54)"): the requests the test
    // needed, and the canary traffic the sandbox really delivered (less than nominal when starved).
    const counted = /\((\d[\d,]*)\/(\d[\d,]*)\)/.exec(String(rollback.reason));
    const requests = counted ? Number(counted[2]!.replaceAll(',', '')) : Number.NaN;
    atFail.push(requests);
    console.log(
      `  round ${i + 1}: rolled back ${fmt(took, 1)} s after the weight went to ${weight}%, after ${requests} canary requests ` +
        `(${fmt(requests / took, 1)} req/s delivered) — "${String(rollback.reason).slice(0, 90)}…"`,
    );
    // Let the canary scale down before the next round.
    for (;;) {
      const r = await call('GET', `/api/v1/rollouts/${id}`);
      if (r.operation === null) break;
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  const median = quantile(seconds, 0.5);
  console.log(
    `  ${rps} req/s, canary at ${weight}% (${canaryRps} req/s), scrape every ${scrapeSeconds} s, gate every ${gateSeconds} s, ${rounds} rounds`,
  );
  console.log(
    `  floor: ~${Math.round(needed)} canary requests (${fmt(needed / canaryRps, 1)} s) + one scrape = ${fmt(floorSeconds, 1)} s`,
  );
  console.log(
    `  measured median ${fmt(median, 1)} s (min ${fmt(Math.min(...seconds), 1)}, max ${fmt(Math.max(...seconds), 1)} s): ` +
      `${fmt(median / floorSeconds)}× the floor, ${fmt(median / BEFORE_SECONDS)}× the ${BEFORE_SECONDS} s before`,
  );
  const requests = quantile(atFail, 0.5);
  console.log(
    `  median canary requests at the fail ${fmt(requests, 0)} (projection ${Math.round(needed)}): ` +
      `${fmt(requests / canaryRps, 1)} s at the nominal ${canaryRps} req/s`,
  );
  goal(median <= GOAL_SECONDS, `median from the weight change to the rollback ≤ ${GOAL_SECONDS} s`);
  await server.stop();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
