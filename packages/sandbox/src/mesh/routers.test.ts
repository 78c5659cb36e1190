import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceTypes } from '../kube/resources.ts';
import { type KubeObject, ObjectStore } from '../kube/store.ts';
import { admit } from '../kube/validate.ts';
import { applySeed, routerNamespaces, routerSeedObjects } from '../seed.ts';
import { startWorkloads } from '../workloads/controller.ts';
import { type Mesh, startMesh } from './proxy.ts';
import { WeightedRoundRobin } from './routers.ts';

const rt = (kind: string) => resourceTypes.find((r) => r.kind === kind)!;
type Router = keyof typeof routerNamespaces;
const routers = Object.keys(routerNamespaces) as Router[];

/** Set a seeded router object to `canary` percent, as Aviary's adapter would. */
function setCanary(store: ObjectStore, router: Router, canary: number): void {
  const ns = routerNamespaces[router];
  const kind = {
    'gateway-api': 'HTTPRoute',
    smi: 'TrafficSplit',
    nginx: 'Ingress',
    traefik: 'TraefikService',
  }[router];
  const name = router === 'nginx' ? 'checkout-canary' : 'checkout';
  const obj = structuredClone(store.get(rt(kind), ns, name)!) as KubeObject;
  const pair = (list: { weight?: number }[]) => {
    list[0]!.weight = 100 - canary;
    list[1]!.weight = canary;
  };
  if (router === 'gateway-api') pair(obj.spec.rules[0].backendRefs);
  if (router === 'smi') pair(obj.spec.backends);
  if (router === 'traefik') pair(obj.spec.weighted.services);
  if (router === 'nginx')
    obj.metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight'] = String(canary);
  store.update(rt(kind), ns, name, obj);
}

let store: ObjectStore;
let mesh: Mesh;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  store = new ObjectStore(admit);
  applySeed(
    store,
    routers.flatMap((r) => routerSeedObjects(r)),
  );
  const workloads = startWorkloads(store, { readyDelayMs: 10 });
  stops.push(() => workloads.stop());
  for (const router of routers) {
    const ns = routerNamespaces[router];
    const canary = structuredClone(store.get(rt('Deployment'), ns, 'checkout')!) as KubeObject;
    canary.metadata = { name: 'checkout-canary', namespace: ns, labels: { app: 'checkout' } };
    canary.spec.replicas = 1;
    canary.spec.selector.matchLabels.version = 'canary';
    canary.spec.template.metadata.labels.version = 'canary';
    canary.spec.template.spec.containers[0].image = 'registry.local/shop/checkout:1.1.0';
    store.create(rt('Deployment'), ns, canary);
  }
  mesh = startMesh(store);
  stops.push(() => mesh.stop());
  await mesh.ready();
  const deadline = Date.now() + 10_000;
  while (store.list(rt('Pod')).filter((p) => p.status?.phase === 'Running').length < routers.length * 3) {
    if (Date.now() > deadline) throw new Error('pods never became ready');
    await new Promise((r) => setTimeout(r, 10));
  }
}, 30_000);
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function versions(router: Router, n: number, headers: Record<string, string> = {}): Promise<string[]> {
  const address = mesh.addressOf(routerNamespaces[router], 'checkout')!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://${address}/products/1`, { headers });
    out.push(((await res.json()) as { version: string }).version);
  }
  return out;
}

async function metricsOf(router: Router): Promise<string> {
  const target = mesh
    .scrapeTargets()
    .find((t) => t.labels.namespace === routerNamespaces[router] && t.labels.proxy === 'checkout')!;
  return (await fetch(`http://${target.targets[0]}/stats/prometheus`)).text();
}

describe("the mesh routes by each router's live object", () => {
  it.each(routers)('%s: all to stable at 0%, exactly a fifth to canary at 20%', async (router) => {
    expect(new Set(await versions(router, 10))).toEqual(new Set(['1.0.0']));
    setCanary(store, router, 20);
    const got = await versions(router, 100);
    expect(got.filter((v) => v === '1.1.0')).toHaveLength(20);
    setCanary(store, router, 0);
    expect(new Set(await versions(router, 10))).toEqual(new Set(['1.0.0']));
  });

  it("exports each router's own metrics with their real names and labels", async () => {
    // A proxy records a request once its response has closed, which can be just after the
    // caller read it: wait until the last one is in.
    const deadline = Date.now() + 10_000;
    const total = { le: '+Inf', deployment: 'checkout' };
    while (value(await metricsOf('smi'), 'response_latency_ms_bucket', total) < 100 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const linkerd = await metricsOf('smi');
    // Any status: the stable image fails a request now and then.
    const inbound = { direction: 'inbound', tls: 'false' };
    expect(
      value(linkerd, 'response_total', {
        ...inbound,
        deployment: 'checkout-canary',
        classification: 'success',
      }),
    ).toBe(20);
    expect(value(linkerd, 'response_latency_ms_bucket', { le: '+Inf', deployment: 'checkout' })).toBe(100);
    const nginx = await metricsOf('nginx');
    const main = { method: 'GET', path: '/', ingress: 'checkout', service: 'checkout-stable' };
    expect(
      value(nginx, 'nginx_ingress_controller_requests', { ...main, canary: 'shop-nginx-checkout-canary-80' }),
    ).toBe(20);
    expect(value(nginx, 'nginx_ingress_controller_requests', { ...main, canary: '' })).toBe(100);
    expect(
      value(nginx, 'nginx_ingress_controller_request_duration_seconds_bucket', {
        ...main,
        canary: '',
        le: '+Inf',
      }),
    ).toBe(100);
    const traefik = await metricsOf('traefik');
    const svc = (arm: string) => ({
      protocol: 'http',
      service: `shop-traefik-checkout-${arm}-80@kubernetescrd`,
    });
    expect(value(traefik, 'traefik_service_requests_total', svc('canary'))).toBe(20);
    expect(
      value(traefik, 'traefik_service_request_duration_seconds_bucket', { ...svc('stable'), le: '+Inf' }),
    ).toBe(100);
    // The Gateway API route runs on the Istio-like mesh, which reports it in Istio's metrics.
    const gamma = await metricsOf('gateway-api');
    expect(
      value(gamma, 'istio_requests_total', {
        reporter: 'destination',
        destination_workload: 'checkout-canary',
      }),
    ).toBe(20);
  });
});

/** The sum of the samples of `name` carrying every label in `labels` (exposition text). */
function value(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe('WeightedRoundRobin', () => {
  it('gives each backend exactly its weight in every round and none at weight 0', () => {
    const wrr = new WeightedRoundRobin();
    const backends = [
      { service: 'a', port: 80, weight: 3 },
      { service: 'b', port: 80, weight: 1 },
      { service: 'c', port: 80, weight: 0 },
    ];
    const picks = Array.from({ length: 8 }, () => wrr.pick('k', backends)!.service);
    expect(picks.filter((p) => p === 'b')).toHaveLength(2);
    expect(picks).not.toContain('c');
    expect(wrr.pick('z', [{ service: 'a', port: 80, weight: 0 }])?.service).toBe('a');
  });
});
