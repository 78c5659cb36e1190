import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Json,
  type Stack,
  clusterWeights,
  settled,
  startRollout,
  startStack,
  waitFor,
} from './harness.ts';

// Gates and automatic rollback on the real thing: the sandbox's mesh and load, the Prometheus
// binary scraping every 2 s, the guard evaluating every second and storing chart points every 3.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    prometheus: true,
    rps: 40,
    env: { AVIARY_GATE_INTERVAL: '1', AVIARY_CHART_INTERVAL: '3', AVIARY_CHART_WINDOW: '10' },
  });
}, 60_000);
afterAll(async () => stack?.stop());

const act = (id: string, body: Json) => stack.api('POST', `/api/v1/rollouts/${id}/actions`, body);
const events = async (id: string) =>
  (await stack.api('GET', `/api/v1/rollouts/${id}/events`)).body.items as Json[];
const gateOf = async (id: string) => (await stack.api('GET', `/api/v1/rollouts/${id}/gate`)).body;

describe('metric profiles', () => {
  it('reads the profile from the router annotation, and refuses a query Prometheus rejects', async () => {
    const got = await stack.api('GET', '/api/v1/targets/shop/checkout/profile');
    expect(got.status).toBe(200);
    expect(got.body.source).toBe('annotation');
    expect(got.body.profile.business[0].name).toBe('checkout-conversion');

    const broken = {
      ...got.body.profile,
      business: [
        {
          ...got.body.profile.business[0],
          numerator: 'sum(rate(shop_checkouts_completed_total{workload="{{workload}}"}[{{window}}]',
        },
      ],
    };
    const res = await stack.api('PUT', '/api/v1/targets/shop/checkout/profile', broken);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid-profile');
    expect(res.body.error.message).toMatch(/Prometheus refused the query/);
    expect((await stack.api('GET', '/api/v1/targets/shop/checkout/profile')).body.source).toBe('annotation');

    const saved = await stack.api('PUT', '/api/v1/targets/shop/checkout/profile', {
      ...got.body.profile,
      minBakeSeconds: 45,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'api', updatedBy: 'admin', profile: { minBakeSeconds: 45 } });
    expect(
      (await stack.api('GET', '/api/v1/targets/shop/checkout/profile')).body.profile.minBakeSeconds,
    ).toBe(45);
    expect((await stack.api('GET', '/api/v1/targets/shop/nowhere/profile')).status).toBeGreaterThanOrEqual(
      404,
    );
  });
});

describe('automatic rollback', () => {
  it('rolls back a canary answering 8% 5xx at 10%, as aviary, with the failing numbers', async () => {
    const r = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.1.0-errors', {
      steps: [10, 50, 100],
    });
    expect(r.weight).toBe(10);
    const rolledBack = await waitFor(
      async () => {
        const now = (await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body;
        return now.phase === 'rolled-back' ? now : undefined;
      },
      90_000,
      'the guard to roll back the erroring canary',
    );
    expect(rolledBack.weight).toBe(0);
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 100, canary: 0 });
    const rollback = (await events(r.id)).find((e) => e.action === 'rollback');
    expect(rollback.actor).toBe('aviary');
    expect(rollback.reason).toMatch(/^automatic rollback: .*5xx/);
    expect(rollback.reason).toMatch(/\d+(\.\d+)?%/);
    expect(rollback.details.gate.verdict).toBe('fail');
    expect(rollback.details.gate.checks.find((c: Json) => c.name === 'error-rate').verdict).toBe('fail');
    // The audit trail has it too, attributed to Aviary itself.
    const audit = (await stack.api('GET', '/api/v1/audit?actor=aviary')).body.items as Json[];
    expect(audit.find((a) => a.subject === `rollout/${r.id}`)).toMatchObject({
      action: 'rollout-action',
      reason: rollback.reason,
    });
    await settled(stack, r.id);
  }, 120_000);

  it('rolls back a canary that converts 30% fewer checkouts on the business metric alone', async () => {
    // The business metric alone: latency gets a wide allowance, so new pods that answer slowly
    // while they warm up on a busy machine cannot be the reason.
    const { profile } = (await stack.api('GET', '/api/v1/targets/shop/checkout/profile')).body;
    const saved = await stack.api('PUT', '/api/v1/targets/shop/checkout/profile', {
      ...profile,
      latency: { ...profile.latency, tolerance: 0.9 },
    });
    expect(saved.status).toBe(200);
    // More shoppers on checkout so conversion has evidence within a minute or two.
    stack.sandbox.traffic.setRate('shop', 'checkout', 150);
    const r = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.2.0-lowconv', {
      steps: [50, 100],
    });
    const rolledBack = await waitFor(
      async () => {
        const now = (await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body;
        return now.phase === 'rolled-back' ? now : undefined;
      },
      150_000,
      'the guard to roll back the low-converting canary',
    );
    stack.sandbox.traffic.setRate('shop', 'checkout', 40);
    expect(rolledBack.weight).toBe(0);
    const rollback = (await events(r.id)).find((e) => e.action === 'rollback');
    expect(rollback.actor).toBe('aviary');
    const checks = rollback.details.gate.checks as Json[];
    expect(checks.find((c) => c.name === 'checkout-conversion').verdict, rollback.reason).toBe('fail');
    expect(checks.find((c) => c.name === 'error-rate').verdict).not.toBe('fail');
    expect(rollback.reason).toMatch(/checkout-conversion/);
    await settled(stack, r.id);
  }, 180_000);

  it('keeps a healthy canary and lets its gate pass', async () => {
    // Passing takes evidence: at 20 canary req/s and a 1-point tolerance, a few hundred requests.
    const profile = {
      minBakeSeconds: 10,
      minSamples: 100,
      errorRate: { tolerance: 0.01, max: 0.05 },
      business: [],
    };
    expect((await stack.api('PUT', '/api/v1/targets/shop/catalog/profile', profile)).status).toBe(200);
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:1.1.0', {
      steps: [50, 75, 100],
    });
    // Long enough for the gate to decide; the guard must not roll back meanwhile. A rollout that
    // leaves progressing ends the wait at once, and the assertion below says how.
    const outcome = await waitFor(
      async () => {
        const verdict = (await gateOf(r.id)).verdict;
        const phase = (await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body.phase;
        return verdict === 'pass' || phase !== 'progressing' ? { verdict, phase } : undefined;
      },
      90_000,
      'the gate to pass or the rollout to leave progressing',
    );
    expect(outcome).toEqual({ verdict: 'pass', phase: 'progressing' });
    const gate = await gateOf(r.id);
    const errors = gate.checks.find((c: Json) => c.name === 'error-rate');
    expect(errors.canaryCounts.total).toBeGreaterThan(0);
    expect(errors.explanation).toMatch(/canary/);
    // Beside the verdict: what the counts cannot rule out, and which way each metric reads.
    expect(errors.direction).toBe('lower-is-better');
    expect(errors.canaryUpperBound).toBeGreaterThanOrEqual(errors.canary);
    expect(errors.canaryUpperBound).toBeLessThan(1);
    const latency = gate.checks.find((c: Json) => c.kind === 'latency');
    expect(latency.thresholdMs).toBeGreaterThan(0);
    expect((await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body.phase).toBe('progressing');
    // A passing gate lets the release manager step without an override.
    const step = await act(r.id, { type: 'step', reason: 'gate passed' });
    expect(step.status).toBe(200);
    expect(step.body.weight).toBe(75);
    expect((await events(r.id)).at(-1).details).toMatchObject({ gate: { verdict: 'pass' } });
    expect((await events(r.id)).map((e) => e.action)).not.toContain('rollback');
    await act(r.id, { type: 'rollback', reason: 'end of test' });
    await settled(stack, r.id);
  }, 150_000);
});

describe('metrics, charts and the gate without Prometheus', () => {
  let id: string;

  it('serves chart-ready series for both versions, the weight and the events', async () => {
    const r = await startRollout(stack, 'payments', 'registry.local/shop/payments:1.1.0', {
      steps: [20, 100],
    });
    id = r.id;
    const metrics = await waitFor(
      async () => {
        const m = (await stack.api('GET', `/api/v1/rollouts/${id}/metrics`)).body;
        const ready = (arm: Json[]) =>
          arm.some((p) => p.requestRate > 0 && p.errorRate !== null && p.p50 !== null);
        return ready(m.canary) && ready(m.stable) ? m : undefined;
      },
      40_000,
      'chart points for both versions',
    );
    // Points are stored every AVIARY_CHART_INTERVAL (3 s), not at every 1 s gate evaluation, so
    // that is the finest chart step.
    expect(metrics.step).toBe(3);
    expect(metrics.weight.at(-1)).toMatchObject({ weight: 20 });
    expect(metrics.annotations.map((a: Json) => a.action)).toContain('step');
    const stable = metrics.stable.filter((p: Json) => p.requestRate > 0).at(-1);
    const canary = metrics.canary.filter((p: Json) => p.requestRate > 0).at(-1);
    // 40 req/s split 80/20, measured through Prometheus.
    expect(stable.requestRate).toBeGreaterThan(canary.requestRate);
    expect(canary.business).toHaveProperty('checkout-conversion');
  }, 60_000);

  it('keeps no more than 1,000 points per series over any range', async () => {
    const from = new Date(Date.now() - 48 * 3600_000).toISOString();
    const res = await stack.api('GET', `/api/v1/rollouts/${id}/metrics?from=${from}&step=1`);
    expect(res.status).toBe(200);
    expect(res.body.step).toBeGreaterThanOrEqual(173);
    expect(res.body.canary.length).toBeLessThanOrEqual(1000);
  });

  it('goes inconclusive when Prometheus stops, refuses to step, still rolls back, and replays charts', async () => {
    const stoppedAt = new Date().toISOString();
    await fetch(`${stack.sandbox.endpoints.apiServer}/_sandbox/prometheus/stop`, { method: 'POST' });
    const errorCheck = (g: Json) => g.checks.find((c: Json) => c.name === 'error-rate');
    const down = await waitFor(
      async () => {
        const g = await gateOf(id);
        return g.evaluatedAt > stoppedAt && errorCheck(g)?.canaryCounts === null ? g : undefined;
      },
      20_000,
      'the gate to notice Prometheus is gone',
    );
    expect(down.verdict).toBe('inconclusive');
    expect(errorCheck(down).explanation).toMatch(
      /no data: .*(unreachable|ECONNREFUSED|fetch failed|other side closed)/i,
    );
    expect(down.checks.some((c: Json) => c.verdict === 'pass' && c.kind !== 'bake-time')).toBe(false);
    const step = await act(id, { type: 'step' });
    expect(step.status).toBe(409);
    expect(step.body.error.code).toBe('gate-not-passed');

    const startedAt = new Date().toISOString();
    await fetch(`${stack.sandbox.endpoints.apiServer}/_sandbox/prometheus/start`, { method: 'POST' });
    const back = await waitFor(
      async () => {
        const g = await gateOf(id);
        return g.evaluatedAt > startedAt && errorCheck(g)?.canaryCounts !== null ? g : undefined;
      },
      30_000,
      'the gate to recover',
    );
    expect(back.summary).not.toMatch(/unreachable/);

    await fetch(`${stack.sandbox.endpoints.apiServer}/_sandbox/prometheus/stop`, { method: 'POST' });
    const rb = await act(id, { type: 'rollback', reason: 'Prometheus is down, play safe' });
    expect(rb.body.phase).toBe('rolled-back');
    await settled(stack, id);
    // The finished rollout's charts come from SQLite, with Prometheus gone.
    const replay = (await stack.api('GET', `/api/v1/rollouts/${id}/metrics`)).body;
    expect(replay.canary.filter((p: Json) => p.requestRate > 0).length).toBeGreaterThan(0);
    expect(replay.weight.at(-1)).toMatchObject({ weight: 0 });
    await fetch(`${stack.sandbox.endpoints.apiServer}/_sandbox/prometheus/start`, { method: 'POST' });
  }, 120_000);
});
