import { resourceTypes } from '../kube/resources.ts';
import type { KubeObject, ObjectStore } from '../kube/store.ts';
import { type RunningApp, startApp } from './app.ts';
import {
  POD_IP,
  PORT_ANNOTATION,
  buildPod,
  deploymentStatus,
  podTemplateHash,
  randomSuffix,
  runningStatus,
} from './objects.ts';

/** A Prometheus file_sd entry. */
export interface ScrapeTarget {
  targets: string[];
  labels: Record<string, string>;
}

export interface WorkloadOptions {
  /** How long a new pod stays Pending/unready (default 1 s, as a fast-starting container). */
  readyDelayMs?: number;
}

interface PodRuntime {
  name: string;
  hash: string;
  app: RunningApp;
  labels: Record<string, string>;
  createdAt: number;
  ready: boolean;
  readyTimer?: NodeJS.Timeout;
}

interface DeploymentRuntime {
  namespace: string;
  name: string;
  uid: string | undefined;
  pods: Map<string, PodRuntime>;
  running?: Promise<void>;
  dirty: boolean;
}

const podType = resourceTypes.find((rt) => rt.kind === 'Pod')!;
const deployType = resourceTypes.find((rt) => rt.kind === 'Deployment')!;

// Between deleting a Pod object and closing its listener: the mesh drops the endpoint on the
// DELETED event (a microtask later), so requests never race a closing socket.
const DRAIN_MS = 100;

/**
 * The deployment + ReplicaSet + kubelet controllers in one: Deployments in the store become
 * Pods in the store backed by real listeners (app.ts). Rolling updates surge the new template
 * fully and retire old pods as new ones become ready, so serving capacity never drops.
 */
export function startWorkloads(store: ObjectStore, opts: WorkloadOptions = {}) {
  const readyDelayMs = opts.readyDelayMs ?? 1000;
  const deployments = new Map<string, DeploymentRuntime>();
  const draining = new Map<NodeJS.Timeout, RunningApp>();
  const closing = new Set<Promise<void>>();
  const closingApps = new Set<RunningApp>();
  const targetListeners: (() => void)[] = [];
  let targetsNotifyQueued = false;
  let stopped = false;

  const targetsChanged = () => {
    if (targetsNotifyQueued) return;
    targetsNotifyQueued = true;
    queueMicrotask(() => {
      targetsNotifyQueued = false;
      if (!stopped) for (const cb of targetListeners) cb();
    });
  };

  const schedule = (namespace: string, name: string) => {
    if (stopped) return;
    const key = `${namespace}/${name}`;
    let rt = deployments.get(key);
    if (!rt) {
      rt = { namespace, name, uid: undefined, pods: new Map(), dirty: false };
      deployments.set(key, rt);
    }
    if (rt.running) {
      rt.dirty = true;
      return;
    }
    const runtime = rt;
    runtime.running = (async () => {
      do {
        runtime.dirty = false;
        try {
          await reconcile(runtime);
        } catch (err) {
          console.error(`sandbox workloads: reconciling ${key} failed:`, err);
        }
      } while (runtime.dirty && !stopped);
      runtime.running = undefined;
      if (runtime.pods.size === 0 && !store.get(deployType, namespace, name)) deployments.delete(key);
    })();
  };

  const reconcile = async (rt: DeploymentRuntime) => {
    const deploy = store.get(deployType, rt.namespace, rt.name);
    if (!deploy || deploy.metadata.uid !== rt.uid) {
      // Deleted, or deleted and re-created under the same name: its old pods go either way.
      for (const pod of [...rt.pods.values()]) removePod(rt, pod);
      rt.uid = deploy?.metadata.uid;
      if (!deploy) return;
    }
    const desired: number = deploy.spec?.replicas ?? 1;
    const hash = podTemplateHash(deploy.spec?.template ?? {});
    const byAge = (a: PodRuntime, b: PodRuntime) => a.createdAt - b.createdAt;
    // Unready pods go first; among equals, newest first when scaling down the current template.
    const unreadyFirst = (a: PodRuntime, b: PodRuntime) => Number(a.ready) - Number(b.ready);

    const current = () => [...rt.pods.values()].filter((p) => p.hash === hash);
    const missing = desired - current().length;
    if (missing > 0) {
      await Promise.all(Array.from({ length: missing }, () => createPod(rt, deploy, hash)));
      if (stopped) return;
    } else if (missing < 0) {
      const excess = current().sort((a, b) => unreadyFirst(a, b) || byAge(b, a));
      for (const pod of excess.slice(0, -missing)) removePod(rt, pod);
    }

    const readyNew = current().filter((p) => p.ready).length;
    const old = [...rt.pods.values()]
      .filter((p) => p.hash !== hash)
      .sort((a, b) => unreadyFirst(a, b) || byAge(a, b));
    const keepOld = Math.max(0, desired - readyNew);
    for (const pod of old.slice(0, Math.max(0, old.length - keepOld))) removePod(rt, pod);

    const pods = [...rt.pods.values()];
    const status = deploymentStatus(deploy, hash, {
      total: pods.length,
      updated: pods.filter((p) => p.hash === hash).length,
      ready: pods.filter((p) => p.ready).length,
    });
    // Counts belong to the spec read above; if the spec moved since, `dirty` re-runs us. No
    // resourceVersion: a concurrent spec write must not turn this status write into a 409.
    const { resourceVersion: _rv, ...metadata } = deploy.metadata;
    store.update(
      deployType,
      rt.namespace,
      rt.name,
      { ...deploy, metadata, status },
      { subresource: 'status', trusted: true },
    );
  };

  const createPod = async (rt: DeploymentRuntime, deploy: KubeObject, hash: string) => {
    const name = `${rt.name}-${hash}-${randomSuffix()}`;
    const template = deploy.spec?.template ?? {};
    const image: string = template.spec?.containers?.[0]?.image ?? 'unknown';
    const app = await startApp({ image, pod: name });
    if (stopped) return void (await app.close({ force: true }));
    const created = store.create(podType, rt.namespace, buildPod({ deploy, name, hash, port: app.port }), {
      trusted: true,
    });
    const pod: PodRuntime = {
      name,
      hash,
      app,
      labels: created.metadata.labels ?? {},
      createdAt: Date.now(),
      ready: false,
    };
    rt.pods.set(name, pod);
    targetsChanged();
    pod.readyTimer = setTimeout(() => {
      pod.readyTimer = undefined;
      const live = store.get(podType, rt.namespace, name);
      if (!live || stopped) return;
      const startedAt = live.metadata.creationTimestamp ?? new Date().toISOString();
      store.update(
        podType,
        rt.namespace,
        name,
        { ...live, status: runningStatus(live, startedAt) },
        {
          subresource: 'status',
          trusted: true,
        },
      );
      pod.ready = true;
      schedule(rt.namespace, rt.name);
    }, readyDelayMs);
  };

  const removePod = (rt: DeploymentRuntime, pod: PodRuntime) => {
    if (pod.readyTimer) clearTimeout(pod.readyTimer);
    rt.pods.delete(pod.name);
    if (store.get(podType, rt.namespace, pod.name)) store.delete(podType, rt.namespace, pod.name);
    targetsChanged();
    const timer = setTimeout(() => {
      draining.delete(timer);
      closingApps.add(pod.app);
      track(pod.app.close().finally(() => closingApps.delete(pod.app)));
    }, DRAIN_MS);
    draining.set(timer, pod.app);
  };

  const track = (p: Promise<void>) => {
    closing.add(p);
    void p.finally(() => closing.delete(p));
  };

  const unsubscribe = store.subscribe((event) => {
    const { namespace = 'default', name } = event.object.metadata;
    if (event.rt === deployType) return schedule(namespace, name);
    if (event.rt !== podType || event.type !== 'DELETED') return;
    // A pod deleted behind our back (not by removePod) is gone: stop it and let reconcile replace it.
    for (const rt of deployments.values()) {
      const pod = rt.namespace === namespace ? rt.pods.get(name) : undefined;
      if (!pod) continue;
      removePod(rt, pod);
      schedule(rt.namespace, rt.name);
    }
  });

  // Pods left in the store by an earlier run have no listener behind them: drop them, then
  // adopt every Deployment that already exists.
  for (const pod of store.list(podType)) {
    if (pod.metadata.annotations?.[PORT_ANNOTATION])
      store.delete(podType, pod.metadata.namespace, pod.metadata.name);
  }
  for (const d of store.list(deployType)) schedule(d.metadata.namespace ?? 'default', d.metadata.name);

  return {
    scrapeTargets(): ScrapeTarget[] {
      const out: ScrapeTarget[] = [];
      for (const rt of deployments.values()) {
        for (const pod of rt.pods.values()) {
          const labels: Record<string, string> = {
            namespace: rt.namespace,
            pod: pod.name,
            workload: rt.name,
          };
          if (pod.labels.version) labels.version = pod.labels.version;
          if (pod.labels.app) labels.app = pod.labels.app;
          out.push({ targets: [`${POD_IP}:${pod.app.port}`], labels });
        }
      }
      return out;
    },
    onTargetsChanged(cb: () => void): void {
      targetListeners.push(cb);
    },
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe();
      await Promise.all([...deployments.values()].map((rt) => rt.running));
      for (const [timer, app] of draining) {
        clearTimeout(timer);
        track(app.close({ force: true }));
      }
      draining.clear();
      for (const app of closingApps) track(app.close({ force: true }));
      for (const rt of deployments.values()) {
        for (const pod of rt.pods.values()) {
          if (pod.readyTimer) clearTimeout(pod.readyTimer);
          track(pod.app.close({ force: true }));
        }
        rt.pods.clear();
      }
      deployments.clear();
      await Promise.all([...closing]);
    },
  };
}

export type Workloads = ReturnType<typeof startWorkloads>;
