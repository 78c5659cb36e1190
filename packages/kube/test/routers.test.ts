import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients } from '../src/client.ts';
import { discoverTargets } from '../src/targets.ts';
import { TrafficRouters, createRouterAdapters } from '../src/traffic-routers/index.ts';
import { watchRouterWeights } from '../src/watch.ts';

// The adapters against the sandbox's API server: the same REST calls a real cluster answers.
let dir: string;
let sandbox: Sandbox;
let routers: TrafficRouters;
let kube: ReturnType<typeof createKubeClients>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-routers-'));
  sandbox = await startSandbox({ dir, rps: 0, routerRps: 0, prometheus: 'none' });
  kube = createKubeClients({ kubeconfig: sandbox.endpoints.kubeconfig });
  routers = new TrafficRouters(createRouterAdapters(kube.custom, { core: kube.core }));
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

const rows = [
  { router: 'gateway-api', namespace: 'shop-gateway', kind: 'HTTPRoute', metrics: 'app' },
  { router: 'smi', namespace: 'shop-linkerd', kind: 'TrafficSplit', metrics: 'linkerd' },
  { router: 'nginx', namespace: 'shop-nginx', kind: 'Ingress', metrics: 'nginx' },
  { router: 'traefik', namespace: 'shop-traefik', kind: 'TraefikService', metrics: 'traefik' },
] as const;

describe('the router table', () => {
  it("discovers every router's targets with their objects, metrics source and weights", async () => {
    const targets = await discoverTargets(kube.apps, routers);
    expect(targets.map((t) => `${t.namespace}/${t.service} ${t.router}`)).toEqual([
      'shop/catalog istio',
      'shop/checkout istio',
      'shop/payments istio',
      'shop-gateway/checkout gateway-api',
      'shop-linkerd/checkout smi',
      'shop-nginx/checkout nginx',
      'shop-traefik/checkout traefik',
    ]);
    for (const row of rows) {
      expect(targets.find((t) => t.namespace === row.namespace)).toMatchObject({
        metrics: row.metrics,
        objects: [{ kind: row.kind }],
        weights: { stable: 100, canary: 0 },
        stableImage: 'registry.local/shop/checkout:1.0.0',
        problems: [],
      });
    }
    expect(await routers.resolve('shop-linkerd', 'checkout')).toMatchObject({ router: 'smi' });
    await expect(routers.resolve('shop', 'nothing')).rejects.toMatchObject({ code: 'target-not-canaryable' });
  });

  it.each(rows)('$router: writes the split, reads it back, and a watch reports it', async (row) => {
    const target = { namespace: row.namespace, service: 'checkout', router: row.router };
    const seen: { canary: number }[] = [];
    const watch = watchRouterWeights(kube.config, [routers.adapter(row.router)], (t, weights) => {
      if (t.namespace === row.namespace) seen.push(weights);
    });
    try {
      await routers.setWeights(target, { stable: 75, canary: 25 });
      expect(await routers.getWeights(target)).toEqual({ stable: 75, canary: 25 });
      const deadline = Date.now() + 10_000;
      while (!seen.some((w) => w.canary === 25) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(seen.some((w) => w.canary === 25)).toBe(true);
      await routers.setWeights(target, { stable: 100, canary: 0 });
      expect(await routers.getWeights(target)).toEqual({ stable: 100, canary: 0 });
    } finally {
      watch.stop();
    }
  });

  it("creates a missing -canary Service from the target's Service before sending it traffic", async () => {
    await kube.core.deleteNamespacedService({ name: 'checkout-canary', namespace: 'shop-traefik' });
    const target = { namespace: 'shop-traefik', service: 'checkout', router: 'traefik' } as const;
    await routers.setWeights(target, { stable: 95, canary: 5 });
    const made = await kube.core.readNamespacedService({
      name: 'checkout-canary',
      namespace: 'shop-traefik',
    });
    expect(made.spec?.selector).toEqual({ app: 'checkout', version: 'canary' });
    expect(made.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('aviary');
    expect(made.spec?.ports?.[0]).toMatchObject({ port: 80, targetPort: 8080 });
    await routers.setWeights(target, { stable: 100, canary: 0 });
  });

  it('says what is missing for a service no router splits', async () => {
    await expect(
      routers.getWeights({ namespace: 'shop-linkerd', service: 'payments', router: 'smi' }),
    ).rejects.toMatchObject({
      code: 'target-not-canaryable',
      message: expect.stringMatching(/no TrafficSplit splits it/),
    });
  });
});
