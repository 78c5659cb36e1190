import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { resourceTypes } from '../kube/resources.ts';
import { type KubeObject, ObjectStore } from '../kube/store.ts';
import { startWorkloads } from './controller.ts';
import { PORT_ANNOTATION } from './objects.ts';

const podRt = resourceTypes.find((r) => r.kind === 'Pod')!;
const deployRt = resourceTypes.find((r) => r.kind === 'Deployment')!;
const NS = 'shop';

type Workloads = ReturnType<typeof startWorkloads>;
const running: Workloads[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

function start(store: ObjectStore): Workloads {
  const w = startWorkloads(store, { readyDelayMs: 30 });
  running.push(w);
  return w;
}

function deployment(name: string, image: string, replicas: number, version = 'stable'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'checkout', version } },
      template: {
        metadata: { labels: { app: 'checkout', version } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  };
}

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pods = (store: ObjectStore) => store.list(podRt, NS);
const isReady = (p: KubeObject) =>
  (p.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

/** What `kubectl rollout status` waits for. */
function rolledOut(store: ObjectStore, name: string): boolean {
  const d = store.get(deployRt, NS, name);
  if (!d) return false;
  const s = d.status ?? {};
  const want = d.spec.replicas;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    s.conditions?.some(
      (c: { type: string; reason: string }) =>
        c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable',
    )
  );
}

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const portOf = (p: KubeObject) => Number(p.metadata.annotations?.[PORT_ANNOTATION]);
const imageBehind = async (p: KubeObject) => JSON.parse((await get(portOf(p))).body).image as string;

describe('workloads controller', () => {
  it('runs each replica as a real listener, Pending then Running and Ready', async () => {
    const store = new ObjectStore();
    const w = start(store);
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 2));

    const pending = await waitFor('pods', () => pods(store).length === 2 && pods(store));
    expect(pending.every((p) => p.status.phase === 'Pending' && !isReady(p))).toBe(true);
    await waitFor('ready pods', () => pods(store).every(isReady) && pods(store).length === 2);

    const [pod] = pods(store);
    expect(pod!.metadata.name).toMatch(
      /^checkout-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    const hash = pod!.metadata.labels!['pod-template-hash'];
    expect(pod!.metadata.name.startsWith(`checkout-${hash}-`)).toBe(true);
    expect(pod!.metadata.labels).toMatchObject({ app: 'checkout', version: 'stable' });
    expect(pod!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: `checkout-${hash}`,
      controller: true,
    });
    expect(pod!.spec.containers[0].image).toBe('registry.local/shop/checkout:1.0.0');
    expect(pod!.status).toMatchObject({ phase: 'Running', podIP: '127.0.0.1' });
    expect(JSON.parse((await get(portOf(pod!))).body)).toMatchObject({
      service: 'checkout',
      pod: pod!.metadata.name,
    });

    await waitFor('rollout complete', () => rolledOut(store, 'checkout'));
    const status = store.get(deployRt, NS, 'checkout')!.status;
    expect(status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      'Available=True',
      'Progressing=True',
    ]);
    expect(w.scrapeTargets()).toHaveLength(2);
    expect(w.scrapeTargets()[0]!.labels).toMatchObject({
      namespace: NS,
      workload: 'checkout',
      version: 'stable',
      app: 'checkout',
    });
  });

  it('rolls a new image: new pods first, old ones removed once new are ready, never below capacity', async () => {
    const store = new ObjectStore();
    start(store);
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 2));
    await waitFor('first rollout', () => rolledOut(store, 'checkout'));
    const oldNames = pods(store).map((p) => p.metadata.name);

    let minReady = Number.POSITIVE_INFINITY;
    const unsubscribe = store.subscribe((e) => {
      if (e.rt === podRt) minReady = Math.min(minReady, pods(store).filter(isReady).length);
    });
    const d = store.get(deployRt, NS, 'checkout')!;
    d.spec.template.spec.containers[0].image = 'registry.local/shop/checkout:1.1.0-errors';
    store.update(deployRt, NS, 'checkout', d);

    await waitFor(
      'second rollout',
      () => store.get(deployRt, NS, 'checkout')!.metadata.generation === 2 && rolledOut(store, 'checkout'),
    );
    unsubscribe();
    const now = pods(store);
    expect(now).toHaveLength(2);
    expect(now.some((p) => oldNames.includes(p.metadata.name))).toBe(false);
    expect(await Promise.all(now.map(imageBehind))).toEqual([
      'registry.local/shop/checkout:1.1.0-errors',
      'registry.local/shop/checkout:1.1.0-errors',
    ]);
    expect(store.get(deployRt, NS, 'checkout')!.status.observedGeneration).toBe(2);
    expect(minReady).toBeGreaterThanOrEqual(2);
  });

  it('scales up, down and to zero', async () => {
    const store = new ObjectStore();
    const w = start(store);
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 1));
    await waitFor('1 replica', () => rolledOut(store, 'checkout'));

    const scale = (n: number) => {
      const d = store.get(deployRt, NS, 'checkout')!;
      d.spec.replicas = n;
      store.update(deployRt, NS, 'checkout', d);
    };
    scale(3);
    await waitFor('3 replicas', () => rolledOut(store, 'checkout') && pods(store).length === 3);
    scale(0);
    await waitFor('0 replicas', () => pods(store).length === 0 && rolledOut(store, 'checkout'));
    const status = store.get(deployRt, NS, 'checkout')!.status;
    // As on a real API server, zero counts are omitted from the JSON.
    expect(status.replicas).toBeUndefined();
    expect(status.observedGeneration).toBe(3);
    expect(w.scrapeTargets()).toEqual([]);
  });

  it('deleting the Deployment removes its pods and closes their listeners', async () => {
    const store = new ObjectStore();
    start(store);
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 2));
    await waitFor('rollout', () => rolledOut(store, 'checkout'));
    const ports = pods(store).map(portOf);

    store.delete(deployRt, NS, 'checkout');
    await waitFor('pods gone', () => pods(store).length === 0);
    await new Promise((r) => setTimeout(r, 250));
    for (const port of ports) await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('adopts Deployments that existed before it started and drops stale pods', async () => {
    const store = new ObjectStore();
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 1));
    store.create(
      podRt,
      NS,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'checkout-old-zzzzz', namespace: NS, annotations: { [PORT_ANNOTATION]: '1' } },
      },
      { trusted: true },
    );
    start(store);
    await waitFor('rollout', () => rolledOut(store, 'checkout'));
    expect(pods(store).map((p) => p.metadata.name)).not.toContain('checkout-old-zzzzz');
    expect(pods(store)).toHaveLength(1);
  });

  it('replaces a pod deleted from the store and closes its listener', async () => {
    const store = new ObjectStore();
    start(store);
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 2));
    await waitFor('rollout', () => rolledOut(store, 'checkout'));
    const victim = pods(store)[0]!;
    store.delete(podRt, NS, victim.metadata.name);
    await waitFor('replacement', () => {
      const now = pods(store);
      return (
        now.length === 2 && now.every(isReady) && !now.some((p) => p.metadata.name === victim.metadata.name)
      );
    });
    await new Promise((r) => setTimeout(r, 250));
    await expect(get(portOf(victim))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stop() closes every listener', async () => {
    const store = new ObjectStore();
    const w = startWorkloads(store, { readyDelayMs: 30 });
    store.create(deployRt, NS, deployment('checkout', 'registry.local/shop/checkout:1.0.0', 2));
    await waitFor('rollout', () => rolledOut(store, 'checkout'));
    const ports = pods(store).map(portOf);
    await w.stop();
    for (const port of ports) await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
