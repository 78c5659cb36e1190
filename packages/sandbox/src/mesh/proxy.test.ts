import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { resourceTypes } from '../kube/resources.ts';
import { type KubeObject, ObjectStore } from '../kube/store.ts';
import { CookieJar } from '../traffic/cookies.ts';
import { startWorkloads } from '../workloads/controller.ts';
import { PORT_ANNOTATION } from '../workloads/objects.ts';
import { startMesh } from './proxy.ts';

const rt = (kind: string) => resourceTypes.find((r) => r.kind === kind)!;
const NS = 'shop';
const HOST = 'checkout.shop.svc.cluster.local';
const agent = new Agent({ keepAlive: true, maxSockets: 100 });

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function deployment(name: string, version: string, replicas: number, image: string): KubeObject {
  const labels = { app: 'checkout', version };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

function virtualService(http: unknown[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'checkout', namespace: NS },
    spec: { hosts: ['checkout'], http },
  };
}

const weighted = (stable: number, canary: number, canaryHeaders?: unknown) => ({
  name: 'primary',
  route: [
    { destination: { host: 'checkout', subset: 'stable' }, weight: stable },
    {
      destination: { host: HOST, subset: 'canary' },
      weight: canary,
      ...(canaryHeaders ? { headers: canaryHeaders } : {}),
    },
  ],
});

/** A shop namespace with a stable and a canary Deployment behind one Service, subsets by `version`. */
async function cluster(opts: { canaryReplicas?: number; vs?: KubeObject | null } = {}) {
  const store = new ObjectStore();
  const workloads = startWorkloads(store, { readyDelayMs: 10 });
  stops.push(() => workloads.stop());
  store.create(
    rt('Deployment'),
    NS,
    deployment('checkout', 'stable', 2, 'registry.local/shop/checkout:1.0.0'),
  );
  store.create(
    rt('Deployment'),
    NS,
    deployment('checkout-canary', 'canary', opts.canaryReplicas ?? 1, 'registry.local/shop/checkout:1.1.0'),
  );
  store.create(rt('Service'), NS, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'checkout', namespace: NS },
    spec: { selector: { app: 'checkout' }, ports: [{ port: 80 }] },
  });
  store.create(rt('DestinationRule'), NS, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'checkout', namespace: NS },
    spec: {
      host: 'checkout',
      subsets: [
        { name: 'stable', labels: { version: 'stable' } },
        { name: 'canary', labels: { version: 'canary' } },
      ],
    },
  });
  const vs = opts.vs === undefined ? virtualService([weighted(80, 20)]) : opts.vs;
  if (vs) store.create(rt('VirtualService'), NS, vs);
  const mesh = startMesh(store);
  stops.push(() => mesh.stop());
  await mesh.ready();
  const want = 2 + (opts.canaryReplicas ?? 1);
  const deadline = Date.now() + 3000;
  while (store.list(rt('Pod'), NS).filter((p) => p.status?.phase === 'Running').length < want) {
    if (Date.now() > deadline) throw new Error('pods never became ready');
    await new Promise((r) => setTimeout(r, 5));
  }
  const [host, port] = mesh.addressOf(NS, 'checkout')!.split(':');
  const admin = mesh.scrapeTargets()[0]!.targets[0]!;
  return { store, mesh, proxy: { host: host!, port: Number(port) }, admin };
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(
  target: { host: string; port: number },
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...target, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers, agent },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** `n` requests, 100 in flight at a time. */
async function burst(
  target: { host: string; port: number },
  n: number,
  headers?: Record<string, string>,
): Promise<Reply[]> {
  const out: Reply[] = [];
  let left = n;
  const worker = async () => {
    while (left-- > 0) out.push(await call(target, { headers }));
  };
  await Promise.all(Array.from({ length: Math.min(100, n) }, worker));
  return out;
}

const versionOf = (r: Reply) => (JSON.parse(r.body) as { version: string }).version;

/** Sum of istio_requests_total samples whose labels include all of `want`. */
async function requests(admin: string, want: Record<string, string>): Promise<Record<string, number>> {
  const [host, port] = admin.split(':');
  const text = (await call({ host: host!, port: Number(port) }, { path: '/metrics' })).body;
  const byWorkload: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('istio_requests_total{')) continue;
    if (!Object.entries(want).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    const workload = /destination_workload="([^"]*)"/.exec(line)![1]!;
    byWorkload[workload] = (byWorkload[workload] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return byWorkload;
}

describe('mesh proxy (store + controller + mesh end to end)', () => {
  it('splits 80/20 by VirtualService weights, measured from its own Istio metrics', async () => {
    const { proxy, admin } = await cluster();
    const replies = await burst(proxy, 3000);
    expect(replies.every((r) => r.status === 200 || r.status === 500)).toBe(true);

    const dest = await requests(admin, {
      reporter: 'destination',
      destination_service: HOST,
      source_workload: 'loadgen',
    });
    // source_workload comes from x-aviary-source; these calls sent none.
    expect(dest).toEqual({});
    const all = await requests(admin, { reporter: 'destination', destination_service: HOST });
    const total = (all.checkout ?? 0) + (all['checkout-canary'] ?? 0);
    expect(total).toBe(3000);
    const canaryShare = (all['checkout-canary'] ?? 0) / total;
    expect(canaryShare).toBeGreaterThan(0.17);
    expect(canaryShare).toBeLessThan(0.23);
    const source = await requests(admin, { reporter: 'source' });
    expect(Object.values(source).reduce((a, b) => a + b, 0)).toBe(3000);
  });

  it('applies a weight change to the very next request', async () => {
    const { store, proxy } = await cluster();
    const vs = store.get(rt('VirtualService'), NS, 'checkout')!;
    vs.spec.http = [weighted(0, 100)];
    store.update(rt('VirtualService'), NS, 'checkout', vs);
    const after = await burst(proxy, 100);
    expect(new Set(after.filter((r) => r.status === 200).map(versionOf))).toEqual(new Set(['1.1.0']));

    vs.spec.http = [weighted(100, 0)];
    store.update(rt('VirtualService'), NS, 'checkout', {
      ...vs,
      metadata: { ...vs.metadata, resourceVersion: undefined },
    });
    const back = await burst(proxy, 100);
    expect(new Set(back.filter((r) => r.status === 200).map(versionOf))).toEqual(new Set(['1.0.0']));
  });

  it('sends a header-matched user to the canary and keeps cookie sessions sticky', async () => {
    const sticky = {
      name: 'sticky',
      match: [
        { headers: { cookie: { regex: '.*canary=1.*' } } },
        { headers: { 'x-user': { exact: 'insider' } } },
      ],
      route: [{ destination: { host: 'checkout', subset: 'canary' } }],
    };
    const setCookie = { response: { add: { 'Set-Cookie': 'canary=1; Max-Age=60' } } };
    const { proxy } = await cluster({ vs: virtualService([sticky, weighted(70, 30, setCookie)]) });

    const insider = await burst(proxy, 50, { 'x-user': 'insider' });
    expect(new Set(insider.filter((r) => r.status === 200).map(versionOf))).toEqual(new Set(['1.1.0']));

    const session = async () => {
      const jar = new CookieJar();
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) {
        const cookie = jar.header();
        const r = await call(proxy, cookie ? { headers: { cookie } } : {});
        jar.store(r.headers['set-cookie']);
        if (r.status === 200) seen.push(versionOf(r));
      }
      return seen;
    };
    let canarySessions = 0;
    for (const seen of await Promise.all(Array.from({ length: 40 }, session))) {
      const first = seen.indexOf('1.1.0');
      if (first < 0) continue;
      canarySessions++;
      // Once a session has landed on the canary it never goes back to stable.
      expect(seen.slice(first)).toEqual(seen.slice(first).map(() => '1.1.0'));
    }
    expect(canarySessions).toBeGreaterThan(10);
  });

  it('answers 503 "no healthy upstream" (UH) when the chosen subset has no ready pods', async () => {
    const { proxy, admin } = await cluster({ canaryReplicas: 0, vs: virtualService([weighted(0, 100)]) });
    const r = await call(proxy);
    expect(r.status).toBe(503);
    expect(r.body).toBe('no healthy upstream');
    const uh = await requests(admin, { reporter: 'source', response_code: '503', response_flags: 'UH' });
    expect(uh).toEqual({ unknown: 1 });
    expect(await requests(admin, { reporter: 'destination' })).toEqual({});
  });

  it('answers 503 UF when a ready endpoint refuses the connection', async () => {
    const { store, proxy, admin } = await cluster({
      canaryReplicas: 0,
      vs: virtualService([weighted(0, 100)]),
    });
    // A Ready pod whose listener is gone: port 1 on loopback refuses connections.
    store.create(
      rt('Pod'),
      NS,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'checkout-canary-dead',
          namespace: NS,
          labels: { app: 'checkout', version: 'canary' },
          annotations: { [PORT_ANNOTATION]: '1' },
        },
        status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
      },
      { trusted: true },
    );
    await Promise.resolve();
    const r = await call(proxy);
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/^upstream connect error/);
    const uf = await requests(admin, { reporter: 'source', response_flags: 'UF' });
    expect(Object.values(uf)).toEqual([1]);
  });

  it('without a VirtualService spreads over every ready pod of the Service', async () => {
    const { proxy } = await cluster({ vs: null });
    const versions = new Set((await burst(proxy, 60)).filter((r) => r.status === 200).map(versionOf));
    expect(versions).toEqual(new Set(['1.0.0', '1.1.0']));
  });

  it('forwards method and body, and reports the source workload from x-aviary-source', async () => {
    const { proxy, admin } = await cluster({ vs: virtualService([weighted(100, 0)]) });
    const r = await call(proxy, {
      method: 'POST',
      path: '/checkout',
      body: '{"items":1}',
      headers: { 'x-aviary-source': 'loadgen', 'content-type': 'application/json' },
    });
    expect(r.headers.server).toBe('istio-envoy');
    if (r.status === 200) expect(JSON.parse(r.body).checkout).toMatch(/^(completed|abandoned)$/);
    expect(
      await requests(admin, {
        reporter: 'destination',
        source_workload: 'loadgen',
        destination_version: 'stable',
      }),
    ).toEqual({ checkout: 1 });
  });

  it('routes Flagger-style to other Services by host and labels metrics with the routed-to Service', async () => {
    const { store, proxy, admin } = await cluster({ vs: null });
    for (const [name, version] of [
      ['checkout-primary', 'stable'],
      ['checkout-canary', 'canary'],
    ] as const) {
      store.create(rt('Service'), NS, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: NS },
        spec: { selector: { app: 'checkout', version } },
      });
    }
    store.create(
      rt('VirtualService'),
      NS,
      virtualService([
        {
          route: [
            { destination: { host: 'checkout-primary' }, weight: 0 },
            { destination: { host: 'checkout-canary' }, weight: 100 },
          ],
        },
      ]),
    );
    const replies = await burst(proxy, 30);
    expect(new Set(replies.filter((r) => r.status === 200).map(versionOf))).toEqual(new Set(['1.1.0']));
    expect(
      await requests(admin, {
        reporter: 'destination',
        destination_service: 'checkout-canary.shop.svc.cluster.local',
        destination_service_name: 'checkout-canary',
      }),
    ).toEqual({ 'checkout-canary': 30 });
  });

  it('stops its proxies with the Service and on stop()', async () => {
    const { store, mesh, proxy } = await cluster();
    store.delete(rt('Service'), NS, 'checkout');
    await new Promise((r) => setTimeout(r, 20));
    expect(mesh.addressOf(NS, 'checkout')).toBeUndefined();
    await expect(call(proxy)).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
  });
});
