import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request,
} from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ObjectStore } from '../kube/store.ts';
import { listen } from '../workloads/app.ts';
import type { ScrapeTarget } from '../workloads/controller.ts';
import { type Cluster, MeshView, type ServiceInfo } from './cluster.ts';
import { type DestinationLabels, IstioMetrics, destinationLabels } from './metrics.ts';
import { RouterMetrics } from './router-metrics.ts';
import { type RouterDecision, WeightedRoundRobin, type WeightedBackend, decideRouter } from './routers.ts';
import {
  type HeaderOperations,
  type HttpRoute,
  applyHeaderOperations,
  decideRoute,
  toFqdn,
} from './routing.ts';

export type { ScrapeTarget } from '../workloads/controller.ts';

/** Who is calling, for `source_workload` (the load generator sends `loadgen`). */
export const SOURCE_HEADER = 'x-aviary-source';

interface ServiceProxy {
  svc: ServiceInfo;
  metrics: IstioMetrics;
  /** Linkerd's, ingress-nginx's and Traefik's metrics for what those routers route here. */
  routerMetrics: RouterMetrics;
  server: Server;
  admin: Server;
  port?: number;
  adminPort?: number;
  closed: boolean;
  listening?: Promise<unknown>;
}

// Hop-by-hop headers belong to one connection and must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
];

const UF_BODY = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

/**
 * The sandbox's Istio data plane: one real HTTP proxy per Service on its own 127.0.0.1 port,
 * routing every request by the live VirtualService and DestinationRule, plus an admin listener
 * per proxy serving Istio's standard metrics (Envoy's :15090 `/stats/prometheus`).
 */
export function startMesh(store: ObjectStore) {
  const view = new MeshView(store);
  // The idle timeout is below the pods' keep-alive timeout, so this side closes idle sockets first.
  const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 30_000 });
  const proxies = new Map<string, ServiceProxy>();
  const targetListeners: (() => void)[] = [];
  const unknownDestinations = new Map<string, DestinationLabels>();
  const roundRobin = new WeightedRoundRobin();
  let stopped = false;

  const targetsChanged = () => {
    if (!stopped) for (const cb of targetListeners) cb();
  };

  const unknownFor = (fqdn: string): DestinationLabels => {
    let labels = unknownDestinations.get(fqdn);
    if (!labels) {
      const [name = fqdn, namespace = 'unknown'] = fqdn.split('.');
      labels = destinationLabels({ service: { name, namespace } });
      unknownDestinations.set(fqdn, labels);
    }
    return labels;
  };

  const handle = (proxy: ServiceProxy, req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const source = firstValue(req.headers[SOURCE_HEADER]) ?? 'unknown';
    let routed: { decision: RouterDecision; backend: WeightedBackend } | undefined;
    const recordRouted = (code: number, workload: string) => {
      if (!routed) return;
      proxy.routerMetrics.record({
        kind: routed.decision.kind,
        service: routed.backend.service,
        port: routed.backend.port,
        workload,
        namespace: proxy.svc.namespace,
        labels: routed.decision.labels,
        canary: routed.backend !== routed.decision.backends[0],
        method: req.method ?? 'GET',
        code,
        ms: performance.now() - started,
      });
    };
    const local = (code: number, flags: string, body: string, dest: DestinationLabels) => {
      req.resume();
      recordRouted(code, 'unknown');
      res.writeHead(code, {
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(body),
        server: 'envoy',
      });
      res.end(body);
      proxy.metrics.record('source', source, dest, code, flags, performance.now() - started);
    };

    let target = proxy.svc.fqdn;
    let subset: string | undefined;
    let rule: HttpRoute | undefined;
    let destOps: { request?: HeaderOperations; response?: HeaderOperations } | undefined;
    const vs = view.virtualServiceFor(proxy.svc.fqdn);
    if (vs) {
      const decision = decideRoute(vs.spec, {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
      });
      if (decision.kind === 'no-route') return local(404, 'NR', '', unknownFor(target));
      if (decision.kind === 'no-destination')
        return local(503, 'UH', 'no healthy upstream', unknownFor(target));
      target = toFqdn(decision.destination.destination.host, vs.namespace);
      subset = decision.destination.destination.subset;
      rule = decision.rule;
      destOps = decision.destination.headers;
    } else {
      const decision = decideRouter(view.routerObjects(), proxy.svc.namespace, proxy.svc.name, {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
      });
      if (decision) {
        const backend = decision.forced ?? roundRobin.pick(decision.key, decision.backends);
        if (!backend) return local(503, 'UH', 'no healthy upstream', unknownFor(target));
        routed = { decision, backend };
        target = toFqdn(backend.service, proxy.svc.namespace);
      }
    }
    const cluster = view.cluster(target, subset);
    if (!cluster) return local(503, 'NC', '', unknownFor(target));
    const endpoint = pick(cluster);
    if (!endpoint) return local(503, 'UH', 'no healthy upstream', unknownFor(target));

    const headers: IncomingHttpHeaders = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    delete headers[SOURCE_HEADER];
    applyHeaderOperations(headers, rule?.headers?.request);
    applyHeaderOperations(headers, destOps?.request);

    let recorded = false;
    const record = (code: number, flags: string, upstreamMs: number | undefined) => {
      if (recorded) return;
      recorded = true;
      const now = performance.now();
      recordRouted(code, endpoint.metrics.labels.destination_workload);
      // Only the Istio-like mesh itself (VirtualServices, GAMMA routes) reports Istio's metrics.
      if (routed && routed.decision.kind !== 'gateway-api') return;
      if (upstreamMs !== undefined)
        proxy.metrics.record('destination', source, endpoint.metrics, code, flags, now - upstreamMs);
      proxy.metrics.record('source', source, endpoint.metrics, code, flags, now - started);
    };

    const upstreamStarted = performance.now();
    const upstream = request({
      host: '127.0.0.1',
      port: endpoint.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    let answered: number | undefined;
    upstream.on('response', (ures) => {
      const out: IncomingHttpHeaders = { ...ures.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      out.server = 'istio-envoy';
      out['x-envoy-upstream-service-time'] = String(Math.round(performance.now() - upstreamStarted));
      applyHeaderOperations(out, destOps?.response);
      applyHeaderOperations(out, rule?.headers?.response);
      answered = ures.statusCode ?? 502;
      res.writeHead(answered, out);
      ures.pipe(res);
      ures.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(503, {
          'content-type': 'text/plain',
          'content-length': Buffer.byteLength(UF_BODY),
          server: 'envoy',
        });
        res.end(UF_BODY);
        record(503, 'UF', undefined);
      } else {
        res.destroy();
        record(res.statusCode, 'UR', upstreamStarted);
      }
    });
    res.on('close', () => {
      if (res.writableFinished)
        return record(answered ?? res.statusCode, '-', answered === undefined ? undefined : upstreamStarted);
      // The caller went away first (Envoy: DC, downstream connection termination).
      upstream.destroy();
      record(answered ?? 0, 'DC', answered === undefined ? undefined : upstreamStarted);
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  };

  const open = (svc: ServiceInfo) => {
    if (stopped || proxies.has(svc.fqdn)) return;
    const metrics = new IstioMetrics();
    const proxy: ServiceProxy = {
      svc,
      metrics,
      routerMetrics: new RouterMetrics(metrics.registry),
      closed: false,
      server: createServer((req, res) => handle(proxy, req, res)),
      admin: createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (req.method !== 'GET' || (path !== '/metrics' && path !== '/stats/prometheus')) {
          return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        }
        metrics.metrics().then(
          (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      }),
    };
    proxy.server.keepAliveTimeout = 65_000;
    proxies.set(svc.fqdn, proxy);
    proxy.listening = Promise.all([listen(proxy.server), listen(proxy.admin)]).then(
      ([port, adminPort]) => {
        if (proxy.closed) return;
        proxy.port = port;
        proxy.adminPort = adminPort;
        targetsChanged();
      },
      (err) => console.error(`sandbox mesh: proxy for ${svc.fqdn} failed to listen:`, err),
    );
  };

  const closing = new Set<Promise<void>>();
  const shut = (proxy: ServiceProxy) => {
    proxy.closed = true;
    // A proxy still binding its ports is closed once bound, so nothing outlives stop().
    const done = Promise.resolve(proxy.listening)
      .then(() =>
        Promise.all(
          [proxy.server, proxy.admin].map(
            (s) =>
              new Promise<void>((resolve) => {
                if (!s.listening) return resolve();
                s.close(() => resolve());
                s.closeAllConnections();
              }),
          ),
        ),
      )
      .then(() => undefined);
    closing.add(done);
    void done.finally(() => closing.delete(done));
  };

  view.onService((event, svc) => {
    if (event === 'added') return open(svc);
    const proxy = proxies.get(svc.fqdn);
    if (!proxy) return;
    proxies.delete(svc.fqdn);
    shut(proxy);
    targetsChanged();
  });
  for (const svc of view.services()) open(svc);

  return {
    /** `127.0.0.1:<port>` of the Service's proxy, once it is listening. */
    addressOf(namespace: string, service: string): string | undefined {
      const port = proxies.get(toFqdn(service, namespace))?.port;
      return port === undefined ? undefined : `127.0.0.1:${port}`;
    },
    /** Wait until every current Service's proxy listens (tests and the CLI's first print). */
    async ready(): Promise<void> {
      while (!stopped && [...proxies.values()].some((p) => p.port === undefined)) {
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    scrapeTargets(): ScrapeTarget[] {
      return [...proxies.values()]
        .filter((p) => p.adminPort !== undefined)
        .map((p) => ({
          targets: [`127.0.0.1:${p.adminPort}`],
          // `proxy`, not `service`: NGINX and Traefik metrics carry a `service` label of their own.
          labels: { namespace: p.svc.namespace, proxy: p.svc.name },
        }));
    },
    onTargetsChanged(cb: () => void): void {
      targetListeners.push(cb);
    },
    async stop(): Promise<void> {
      stopped = true;
      view.close();
      for (const proxy of proxies.values()) shut(proxy);
      proxies.clear();
      await Promise.all([...closing]);
      agent.destroy();
    },
  };
}

export type Mesh = ReturnType<typeof startMesh>;

function pick(cluster: Cluster) {
  const n = cluster.endpoints.length;
  if (n === 0) return undefined;
  cluster.next = (cluster.next + 1) % n;
  return cluster.endpoints[cluster.next];
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
