import { type Stack, startStack, token as adminToken, waitFor } from '@aviary/api/test-harness';
import { createToken } from '@aviary/api/test-access-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aviary } from './run-cli.ts';

// The exit codes a pipeline branches on, against the whole stack: the sandbox cluster with its
// mesh and load, the real Prometheus scraping every 2 s, and the API's guard gating every second.
let stack: Stack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({
    prometheus: true,
    rps: 20,
    env: { AVIARY_GATE_INTERVAL: '1', AVIARY_CHART_WINDOW: '10' },
  });
  env = { AVIARY_URL: stack.server.url, AVIARY_TOKEN: adminToken };
}, 60_000);
afterAll(async () => stack?.stop());

const rolloutsOf = async (service: string) =>
  (await stack.api('GET', `/api/v1/rollouts?namespace=shop&service=${service}`)).body.items;

describe('aviary exit codes', () => {
  it('exits 5 without credentials, with a bad token, and with a viewer token for a change', async () => {
    const unsigned = await aviary(['targets'], {});
    expect(unsigned.code).toBe(5);
    expect(unsigned.stderr).toContain('aviary login');
    const bad = await aviary(['targets'], { ...env, AVIARY_TOKEN: 'avt_not-a-real-token' });
    expect(bad.code).toBe(5);
    const viewer = (await createToken(stack, 'viewer')).token;
    // A viewer may look…
    expect((await aviary(['targets'], { ...env, AVIARY_TOKEN: viewer })).code).toBe(0);
    // …but not start anything, and nothing starts.
    const start = await aviary(
      ['start', 'shop/payments', '--image', 'registry.local/shop/payments:2.0.0', '-o', 'json'],
      { ...env, AVIARY_TOKEN: viewer },
    );
    expect(start.code).toBe(5);
    expect(start.json()).toMatchObject({ error: { code: 'forbidden' }, exitCode: 5 });
    expect(await rolloutsOf('payments')).toEqual([]);
  }, 300_000);

  it('exits 4 when a freeze window holds the promotion, before any traffic moves', async () => {
    const zone = 'UTC';
    const at = (minutes: number) => {
      const d = new Date(Date.now() + minutes * 60_000);
      const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d.getUTCDay()];
      return { day, time: d.toISOString().slice(11, 16) };
    };
    const policy = { freezeWindows: [{ timezone: zone, start: at(-60), end: at(90), reason: 'peak sale' }] };
    expect((await stack.api('PUT', '/api/v1/targets/shop/payments/policy', policy)).status).toBe(200);
    const run = await aviary(
      [
        'start',
        'shop/payments',
        '--image',
        'registry.local/shop/payments:2.0.0',
        '--steps',
        '5',
        '--wait-until',
        'promoted',
      ],
      env,
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/frozen until .*peak sale/);
    expect(await rolloutsOf('payments')).toEqual([]);
    await stack.api('PUT', '/api/v1/targets/shop/payments/policy', { freezeWindows: [] });
  }, 300_000);

  // The two gate cases run side by side on different targets: each waits on the gate's evidence.
  describe.concurrent('start --wait-until promoted', () => {
    it('exits 2 when the gate rolls back an erroring canary', async () => {
      stack.sandbox.traffic.setRate('shop', 'checkout', 100);
      const profile = { minBakeSeconds: 5, minSamples: 100, business: [] };
      expect((await stack.api('PUT', '/api/v1/targets/shop/checkout/profile', profile)).status).toBe(200);
      const run = await aviary(
        [
          'start',
          'shop/checkout',
          '--image',
          'registry.local/shop/checkout:1.1.0-errors',
          '--steps',
          '20,100',
          '--wait-until',
          'promoted',
          '--timeout',
          '3m',
          '-o',
          'json',
        ],
        env,
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/rolled back by aviary: automatic rollback/);
      const out = run.json() as { error: { code: string; rollout: { phase: string } } };
      expect(out.error.code).toBe('rolled-back');
      expect(out.error.rollout.phase).toBe('rolled-back');
      // Progress went to stderr as plain lines (no terminal here), the result alone to stdout.
      expect(run.stderr).toMatch(/^\S+Z shop\/checkout \S+: progressing at 20%, step 1\/2, gate /m);
    }, 300_000);

    it('exits 0 once a healthy canary with --steps 5 passes its gate and is promoted', async () => {
      stack.sandbox.traffic.setRate('shop', 'catalog', 200);
      const profile = {
        minBakeSeconds: 5,
        minSamples: 100,
        errorRate: { tolerance: 0.03, max: 0.05 },
        latency: { quantile: 0.95, tolerance: 0.1 },
        business: [],
      };
      expect((await stack.api('PUT', '/api/v1/targets/shop/catalog/profile', profile)).status).toBe(200);
      const run = await aviary(
        [
          'start',
          'shop/catalog',
          '--image',
          'registry.local/shop/catalog:1.1.0',
          '--steps',
          '5',
          '--reason',
          'pipeline 42',
          '--wait-until',
          'promoted',
          '--timeout',
          '3m',
          '-o',
          'json',
        ],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      const out = run.json() as { rollout: { id: string; phase: string }; reached: string };
      expect(out).toMatchObject({ reached: 'promoted', rollout: { phase: 'promoted' } });
      const events = (await stack.api('GET', `/api/v1/rollouts/${out.rollout.id}/events`)).body.items;
      const promote = events.find((e: { action: string }) => e.action === 'promote');
      // Promoted on the gate's word, not by overriding it.
      expect(promote.details.gate.verdict).toBe('pass');
      expect(promote.details.override).toBeUndefined();
      const deploy = await waitFor(
        async () => {
          const t = (await stack.api('GET', '/api/v1/targets')).body.items.find(
            (x: { service: string }) => x.service === 'catalog',
          );
          return t.stableImage === 'registry.local/shop/catalog:1.1.0' ? t : undefined;
        },
        20_000,
        'stable to run the promoted image',
      );
      expect(deploy.weights).toEqual({ stable: 100, canary: 0 });
    }, 300_000);
  });
});
