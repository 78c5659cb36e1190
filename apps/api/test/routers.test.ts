import { PrometheusClient, byLabel, meshQueries } from '@aviary/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type Stack, kube, settled, startStack, waitFor } from './harness.ts';

// Every router on the real thing, side by side in one sandbox: its object in the API server, the
// mesh routing by it and exporting that router's own metrics, Prometheus scraping them every 2 s.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    prometheus: true,
    rps: 0,
    routerRps: 30,
    env: { AVIARY_GATE_INTERVAL: '1', AVIARY_CHART_WINDOW: '10' },
  });
}, 60_000);
afterAll(async () => stack?.stop());

interface Row {
  router: string;
  namespace: string;
  metrics: string;
  /** The canary share in percent as the router's object holds it. */
  objectCanary(ns: string): Promise<number>;
}

const pairOf = (list: { weight?: number }[], dflt: number) => {
  const [s = dflt, c = dflt] = list.map((e) => e.weight ?? dflt);
  return Math.round((100 * c) / (s + c));
};
const rows: Row[] = [
  {
    router: 'gateway-api',
    namespace: 'shop-gateway',
    metrics: 'app',
    objectCanary: async (ns) =>
      pairOf(
        (await kube(stack, 'GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/checkout`))
          .spec.rules[0].backendRefs,
        1,
      ),
  },
  {
    router: 'smi',
    namespace: 'shop-linkerd',
    metrics: 'linkerd',
    objectCanary: async (ns) =>
      pairOf(
        (await kube(stack, 'GET', `/apis/split.smi-spec.io/v1alpha2/namespaces/${ns}/trafficsplits/checkout`))
          .spec.backends,
        0,
      ),
  },
  {
    router: 'nginx',
    namespace: 'shop-nginx',
    metrics: 'nginx',
    objectCanary: async (ns) =>
      Number(
        (await kube(stack, 'GET', `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/checkout-canary`))
          .metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'],
      ),
  },
  {
    router: 'traefik',
    namespace: 'shop-traefik',
    metrics: 'traefik',
    objectCanary: async (ns) =>
      pairOf(
        (await kube(stack, 'GET', `/apis/traefik.io/v1alpha1/namespaces/${ns}/traefikservices/checkout`)).spec
          .weighted.services,
        1,
      ),
  },
];

const act = (id: string, body: Json) => stack.api('POST', `/api/v1/rollouts/${id}/actions`, body);
const rollout = async (id: string) => (await stack.api('GET', `/api/v1/rollouts/${id}`)).body;

async function start(namespace: string, image: string, steps: number[]): Promise<Json> {
  const res = await stack.api('POST', '/api/v1/rollouts', { namespace, service: 'checkout', image, steps });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return waitFor(
    async () => {
      const r = await rollout(res.body.id);
      return r.phase === 'progressing' && r.operation === null ? r : undefined;
    },
    30_000,
    `rollout ${res.body.id} to reach its first step`,
  );
}

/** The canary's share of requests since `since`, from the target's own metrics source in Prometheus. */
async function measuredShare(row: Row, since: number): Promise<{ share: number; requests: number }> {
  const prom = new PrometheusClient({ url: stack.sandbox.endpoints.prometheus! });
  const queries = meshQueries[row.metrics as keyof typeof meshQueries];
  // The window starts a few seconds after the step, so no request routed before it counts.
  const window = Math.floor((Date.now() - since) / 1000) - 4;
  const input = {
    namespace: row.namespace,
    stableWorkload: 'checkout',
    canaryWorkload: 'checkout-canary',
    window,
  };
  const result = await prom.query(queries.requests(input));
  if (result.resultType !== 'vector') throw new Error(`expected a vector, got ${result.resultType}`);
  const counts = byLabel(result.result, queries.workloadLabel);
  const arms = queries.arms?.(input) ?? { canary: 'checkout-canary', stable: 'checkout' };
  const canary = counts.get(arms.canary) ?? 0;
  const stable = counts.get(arms.stable) ?? 0;
  return { share: (100 * canary) / (canary + stable), requests: canary + stable };
}

describe.concurrent('every router, end to end', () => {
  it.each(rows)(
    '$router: start, step to 20% measured in its own metrics, roll back, and the guard rolls back -errors',
    async (row) => {
      const targets = (await stack.api('GET', '/api/v1/targets')).body.items as Json[];
      expect(targets.find((t) => t.namespace === row.namespace)).toMatchObject({
        service: 'checkout',
        router: row.router,
        metrics: row.metrics,
        weights: { stable: 100, canary: 0 },
        problems: [],
      });

      const r = await start(row.namespace, 'registry.local/shop/checkout:1.1.0', [1, 20, 100]);
      expect(r.target.router).toBe(row.router);
      expect(await row.objectCanary(row.namespace)).toBe(1);
      const step = await act(r.id, { type: 'step', override: true, reason: 'measuring the split' });
      expect(step.status).toBe(200);
      await waitFor(async () => (await rollout(r.id)).weight === 20, 20_000, 'the step to 20%');
      expect(await row.objectCanary(row.namespace)).toBe(20);
      const steppedAt = Date.now();
      await new Promise((done) => setTimeout(done, 30_000));
      const { share, requests } = await measuredShare(row, steppedAt);
      expect(requests).toBeGreaterThan(300);
      expect(share).toBeGreaterThanOrEqual(17);
      expect(share).toBeLessThanOrEqual(23);

      const back = await act(r.id, { type: 'rollback', reason: 'done measuring' });
      expect(back.status).toBe(200);
      expect((await settled(stack, r.id)).phase).toBe('rolled-back');
      expect(await row.objectCanary(row.namespace)).toBe(0);

      const bad = await start(row.namespace, 'registry.local/shop/checkout:1.1.0-errors', [20, 100]);
      const rolledBack = await waitFor(
        async () => {
          const now = await rollout(bad.id);
          return now.phase === 'rolled-back' ? now : undefined;
        },
        180_000,
        `the guard to roll back the erroring ${row.router} canary`,
      );
      expect(rolledBack.weight).toBe(0);
      const events = (await stack.api('GET', `/api/v1/rollouts/${bad.id}/events`)).body.items as Json[];
      expect(events.find((e) => e.action === 'rollback')).toMatchObject({ actor: 'aviary' });
      expect(await row.objectCanary(row.namespace)).toBe(0);
      await settled(stack, bad.id);
    },
    300_000,
  );
});
