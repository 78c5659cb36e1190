import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FaultInjector } from './kube/faults.ts';
import { resourceForKind } from './kube/resources.ts';
import { createKubeApiServer } from './kube/server.ts';
import { ObjectStore } from './kube/store.ts';
import { admit } from './kube/validate.ts';
import { sandboxKubeconfig } from './kubeconfig.ts';
import { startMesh } from './mesh/proxy.ts';
import { PrometheusProcess } from './prometheus/runner.ts';
import { applySeed, seedNamespace, seededServices } from './seed.ts';
import { startTraffic } from './traffic/loadgen.ts';
import { startWorkloads } from './workloads/controller.ts';

export interface SandboxOptions {
  /** Where kubeconfig, endpoints.json and Prometheus' files go. */
  dir: string;
  host?: string;
  /** API server port; 0 picks a free one. */
  port?: number;
  /** Requests per second per seeded service in `shop`; 0 sends no traffic. */
  rps?: number;
  /** Requests per second per service in the other routers' namespaces (default: rps/5, at most 10). */
  routerRps?: number;
  scrapeIntervalSeconds?: number;
  /** Delay before a new pod reports Ready. */
  readyDelayMs?: number;
  /** `embedded` runs the Prometheus binary; a URL uses a running Prometheus; `none` runs without. */
  prometheus?: 'embedded' | 'none' | { url: string };
  seed?: boolean;
}

export interface Endpoints {
  apiServer: string;
  prometheus: string | null;
  kubeconfig: string;
}

export interface Sandbox {
  endpoints: Endpoints;
  store: ObjectStore;
  faults: FaultInjector;
  traffic: ReturnType<typeof startTraffic>;
  mesh: ReturnType<typeof startMesh>;
  /** Take Prometheus away (an outage) and bring it back; only for the embedded one. */
  stopPrometheus(): Promise<void>;
  startPrometheus(): Promise<void>;
  stop(): Promise<void>;
}

const scrapeJobs = ['mesh', 'workloads'] as const;

/**
 * Everything a first-time user needs to see Aviary work: an API server kubectl and
 * client-node accept, Deployments running as real listeners, an Istio-like mesh routing by the
 * live VirtualService, steady user traffic, and a real Prometheus scraping it all.
 */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const dir = resolve(opts.dir);
  const host = opts.host ?? '127.0.0.1';
  await mkdir(dir, { recursive: true });

  const store = new ObjectStore(admit);
  const faults = new FaultInjector();
  if (opts.seed !== false) applySeed(store);

  const workloads = startWorkloads(
    store,
    opts.readyDelayMs === undefined ? {} : { readyDelayMs: opts.readyDelayMs },
  );
  const mesh = startMesh(store);

  const promOpt = opts.prometheus ?? 'embedded';
  const prometheus =
    promOpt === 'embedded'
      ? new PrometheusProcess({
          dir: join(dir, 'prometheus'),
          jobs: scrapeJobs,
          scrapeIntervalSeconds: opts.scrapeIntervalSeconds ?? 5,
        })
      : undefined;
  // Targets are written once Prometheus has its folder, and no longer once we are stopping.
  let targetsLive = false;
  const writeTargets = async () => {
    if (!prometheus || !targetsLive) return;
    await prometheus.writeTargets('mesh', mesh.scrapeTargets());
    await prometheus.writeTargets('workloads', workloads.scrapeTargets());
  };
  let pending = Promise.resolve();
  const refreshTargets = () => {
    pending = pending
      .then(writeTargets)
      .catch((err) => console.error('sandbox: writing scrape targets failed', err));
  };
  workloads.onTargetsChanged(refreshTargets);
  mesh.onTargetsChanged(refreshTargets);

  const control = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return true;
    };
    if (path === '/_sandbox/prometheus' && req.method === 'GET') {
      return reply(200, { url: endpoints.prometheus, running: prometheus?.running ?? null });
    }
    if (
      (path === '/_sandbox/prometheus/stop' || path === '/_sandbox/prometheus/start') &&
      req.method === 'POST'
    ) {
      if (!prometheus) return reply(409, { error: 'this sandbox does not run its own Prometheus' });
      if (path.endsWith('stop')) await prometheus.stop();
      else await prometheus.start();
      return reply(200, { running: prometheus.running });
    }
    return false;
  };

  const server = createKubeApiServer({ store, faults, control });
  await listen(server, opts.port ?? 0, host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const apiServer = `http://${host}:${port}`;

  let promUrl: string | null = null;
  if (prometheus) {
    await prometheus.start();
    targetsLive = true;
    await writeTargets();
    promUrl = prometheus.url;
  } else if (typeof promOpt === 'object') {
    promUrl = promOpt.url;
  }

  const kubeconfig = join(dir, 'kubeconfig');
  const endpoints: Endpoints = { apiServer, prometheus: promUrl, kubeconfig };
  await writeAtomic(kubeconfig, sandboxKubeconfig(apiServer));
  await writeAtomic(join(dir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);

  // Users arrive once the shop is up, so the first charts are not a wall of 503s.
  if (opts.seed !== false) await seedAvailable(store, 15_000);
  await mesh.ready();
  const traffic = startTraffic({
    mesh,
    services: seededServices().map(({ namespace, service }) => ({
      namespace,
      service,
      // The extra namespaces run lighter, so the whole sandbox stays easy on a small machine.
      rps:
        namespace === seedNamespace
          ? (opts.rps ?? 50)
          : (opts.routerRps ?? Math.min(10, Math.ceil((opts.rps ?? 50) / 5))),
    })),
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      targetsLive = false;
      await traffic.stop();
      await closeServer(server);
      await mesh.stop();
      await workloads.stop();
      await prometheus?.stop();
      await pending;
    })();
    return stopped;
  };

  return {
    endpoints,
    store,
    faults,
    traffic,
    mesh,
    stopPrometheus: async () => prometheus?.stop(),
    startPrometheus: async () => prometheus?.start(),
    stop,
  };
}

async function seedAvailable(store: ObjectStore, timeoutMs: number): Promise<void> {
  const deployments = resourceForKind('apps/v1', 'Deployment')!;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = seededServices().every(({ namespace, service }) => {
      const d = store.get(deployments, namespace, service);
      return d && (d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1);
    });
    if (ready) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    // Watches are long-lived responses; end them rather than wait for their timeouts.
    server.closeAllConnections();
  });
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}
