import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.ts';
import { kube, promScalar, waitFor } from './helpers.ts';

// The sandbox end to end: real API server, real listeners, real mesh proxies, real load and the
// real Prometheus binary. Measures what a canary release would measure.
const rps = 50;

describe('sandbox traffic measured by Prometheus', () => {
  let dir: string;
  let sandbox: Sandbox;
  let api: string;
  let prom: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aviary-sandbox-'));
    sandbox = await startSandbox({ dir, rps, scrapeIntervalSeconds: 2, readyDelayMs: 300 });
    api = sandbox.endpoints.apiServer;
    prom = sandbox.endpoints.prometheus!;
  });

  afterAll(async () => {
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers the configured rate and splits a canary 80/20 as the VirtualService says', async () => {
    const stable = await kube(api, 'GET', '/apis/apps/v1/namespaces/shop/deployments/checkout');
    const canary = structuredClone(stable.body);
    canary.metadata = { name: 'checkout-canary', namespace: 'shop', labels: { app: 'checkout' } };
    canary.spec.replicas = 1;
    canary.spec.selector.matchLabels.version = 'canary';
    canary.spec.template.metadata.labels.version = 'canary';
    canary.spec.template.spec.containers[0].image = 'registry.local/shop/checkout:1.1.0';
    delete canary.status;
    expect((await kube(api, 'POST', '/apis/apps/v1/namespaces/shop/deployments', canary)).status).toBe(201);
    await waitFor(async () => {
      const d = await kube(api, 'GET', '/apis/apps/v1/namespaces/shop/deployments/checkout-canary');
      return d.body.status?.availableReplicas === 1;
    }, 15_000);

    const vs = await kube(
      api,
      'GET',
      '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/checkout',
    );
    const route = vs.body.spec.http[0].route;
    route[0].weight = 80;
    route[1].weight = 20;
    const patched = await kube(
      api,
      'PATCH',
      '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/checkout',
      { spec: { http: vs.body.spec.http } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    const switchedAt = Date.now();

    // One full 60 s window after the switch, plus two scrapes for the last samples to land.
    await new Promise((r) => setTimeout(r, Math.max(0, switchedAt + 64_000 - Date.now())));

    const sel =
      'reporter="destination",destination_workload_namespace="shop",destination_service_name="checkout"';
    const rate = await promScalar(prom, `sum(rate(istio_requests_total{${sel}}[60s]))`);
    expect(rate).toBeGreaterThan(rps * 0.85);
    expect(rate).toBeLessThan(rps * 1.15);

    const share = await promScalar(
      prom,
      `sum(increase(istio_requests_total{${sel},destination_workload="checkout-canary"}[60s])) / sum(increase(istio_requests_total{${sel}}[60s]))`,
    );
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);

    // The canary's pods were really the ones answering: its version label shows on its series.
    const canaryVersion = await promScalar(
      prom,
      `count(istio_requests_total{${sel},destination_workload="checkout-canary",destination_version="canary"})`,
    );
    expect(canaryVersion).toBeGreaterThan(0);
  }, 120_000);
});
