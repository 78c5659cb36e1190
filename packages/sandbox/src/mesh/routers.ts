import type { KubeObject } from '../kube/store.ts';
import type { RequestView } from './routing.ts';

/**
 * Routing by the objects of the routers beside Istio, pure: given the live objects of a
 * namespace and a request to one Service, which router object applies and which Services it
 * weighs. The proxy picks among those backends and exports that router's own metrics.
 */

export type RouterKind = 'gateway-api' | 'smi' | 'nginx' | 'traefik';

export interface WeightedBackend {
  /** A Service in the object's namespace. */
  service: string;
  port: number;
  weight: number;
}

export interface RouterDecision {
  kind: RouterKind;
  /** Identifies the object (and its weights) for weighted round-robin state. */
  key: string;
  backends: WeightedBackend[];
  /** When set, this backend is taken whatever the weights (an NGINX header match). */
  forced?: WeightedBackend;
  /** Labels the router's metrics carry for requests it routes (NGINX's `ingress` and `service`). */
  labels: Record<string, string>;
}

export interface RouterObjects {
  httpRoutes: KubeObject[];
  trafficSplits: KubeObject[];
  ingresses: KubeObject[];
  traefikServices: KubeObject[];
}

const NGINX = 'nginx.ingress.kubernetes.io/';

/** The router object for a request to Service `name` in `namespace`, in a fixed precedence. */
export function decideRouter(
  objects: RouterObjects,
  namespace: string,
  name: string,
  req: RequestView,
): RouterDecision | undefined {
  return (
    fromHttpRoute(objects.httpRoutes, namespace, name, req) ??
    fromTrafficSplit(objects.trafficSplits, namespace, name) ??
    fromIngress(objects.ingresses, namespace, name, req) ??
    fromTraefikService(objects.traefikServices, namespace, name)
  );
}

const inNamespace = (o: KubeObject, ns: string) => (o.metadata.namespace ?? 'default') === ns;
const keyOf = (o: KubeObject, backends: WeightedBackend[]) =>
  `${o.kind}/${o.metadata.namespace}/${o.metadata.name}/${backends.map((b) => `${b.service}=${b.weight}`).join(',')}`;

/** GAMMA: an HTTPRoute whose parent is the Service; the first rule whose matches accept the request. */
function fromHttpRoute(
  routes: KubeObject[],
  ns: string,
  name: string,
  req: RequestView,
): RouterDecision | undefined {
  const route = routes.find(
    (r) =>
      inNamespace(r, ns) &&
      (r.spec?.parentRefs ?? []).some(
        (p: { kind?: string; name?: string }) => p.kind === 'Service' && p.name === name,
      ),
  );
  if (!route) return undefined;
  const rules: {
    matches?: HttpRouteMatch[];
    backendRefs?: { name?: string; port?: number; weight?: number }[];
  }[] = route.spec?.rules ?? [];
  const rule = rules.find(
    (r) => !r.matches || r.matches.length === 0 || r.matches.some((m) => routeMatches(m, req)),
  );
  if (!rule) return { kind: 'gateway-api', key: `${route.metadata.name}/none`, backends: [], labels: {} };
  const backends = (rule.backendRefs ?? []).map((b) => ({
    service: b.name ?? '',
    port: b.port ?? 80,
    weight: b.weight ?? 1,
  }));
  return { kind: 'gateway-api', key: keyOf(route, backends), backends, labels: {} };
}

interface HttpRouteMatch {
  path?: { type?: string; value?: string };
  headers?: { type?: string; name: string; value: string }[];
}

function routeMatches(m: HttpRouteMatch, req: RequestView): boolean {
  const path = (req.url.split('?')[0] ?? '/') || '/';
  if (m.path?.value !== undefined) {
    const ok = m.path.type === 'Exact' ? path === m.path.value : path.startsWith(m.path.value);
    if (!ok) return false;
  }
  for (const h of m.headers ?? []) {
    const value = req.headers[h.name.toLowerCase()];
    const v = Array.isArray(value) ? value.join(', ') : value;
    if (v === undefined) return false;
    if (h.type === 'RegularExpression' ? !new RegExp(`^(?:${h.value})$`).test(v) : v !== h.value)
      return false;
  }
  return true;
}

function fromTrafficSplit(splits: KubeObject[], ns: string, name: string): RouterDecision | undefined {
  const split = splits.find(
    (s) => inNamespace(s, ns) && String(s.spec?.service ?? '').split('.')[0] === name,
  );
  if (!split) return undefined;
  const backends = ((split.spec?.backends ?? []) as { service?: string; weight?: number | string }[]).map(
    (b) => ({
      service: b.service ?? '',
      port: 80,
      weight: quantity(b.weight),
    }),
  );
  return { kind: 'smi', key: keyOf(split, backends), backends, labels: {} };
}

function quantity(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(v ?? '').trim());
  return m ? Number(m[1]) / (m[2] === 'm' ? 1000 : 1) : 0;
}

interface IngressPath {
  path?: string;
  backend?: { service?: { name?: string; port?: { number?: number } } };
}

function ingressBackend(
  ing: KubeObject,
): { host: string; path: string; service: string; port: number } | undefined {
  for (const rule of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: IngressPath[] } }[]) {
    for (const p of rule.http?.paths ?? []) {
      if (p.backend?.service?.name)
        return {
          host: rule.host ?? '',
          path: p.path ?? '/',
          service: p.backend.service.name,
          port: p.backend.service.port?.number ?? 80,
        };
    }
  }
  return undefined;
}

/**
 * ingress-nginx: the main Ingress routing to this Service (or its `-stable`), and a canary
 * Ingress for the same host and path. by-header before weight, as the controller does.
 */
function fromIngress(
  ingresses: KubeObject[],
  ns: string,
  name: string,
  req: RequestView,
): RouterDecision | undefined {
  const isCanary = (i: KubeObject) => i.metadata.annotations?.[`${NGINX}canary`] === 'true';
  const main = ingresses.find((i) => {
    if (!inNamespace(i, ns) || isCanary(i)) return false;
    const b = ingressBackend(i);
    return b?.service === name || b?.service === `${name}-stable`;
  });
  const mainBackend = main && ingressBackend(main);
  if (!main || !mainBackend) return undefined;
  const canary = ingresses.find((i) => {
    const b = inNamespace(i, ns) && isCanary(i) ? ingressBackend(i) : undefined;
    return b && b.host === mainBackend.host && b.path === mainBackend.path;
  });
  const stable: WeightedBackend = { service: mainBackend.service, port: mainBackend.port, weight: 100 };
  const labels = { ingress: main.metadata.name, service: mainBackend.service, path: mainBackend.path };
  const canaryBackend = canary && ingressBackend(canary);
  if (!canary || !canaryBackend)
    return { kind: 'nginx', key: keyOf(main, [stable]), backends: [stable], labels };
  const a = canary.metadata.annotations ?? {};
  const total = Number(a[`${NGINX}canary-weight-total`] ?? 100) || 100;
  const weight = Math.min(total, Math.max(0, Number(a[`${NGINX}canary-weight`] ?? 0) || 0));
  const backends = [
    { ...stable, weight: total - weight },
    { service: canaryBackend.service, port: canaryBackend.port, weight },
  ];
  const decision: RouterDecision = { kind: 'nginx', key: keyOf(canary, backends), backends, labels };
  const header = a[`${NGINX}canary-by-header`];
  if (header) {
    const got = req.headers[header.toLowerCase()];
    const value = Array.isArray(got) ? got[0] : got;
    const wanted = a[`${NGINX}canary-by-header-value`];
    if (wanted !== undefined ? value === wanted : value === 'always') decision.forced = backends[1];
    else if (wanted === undefined && value === 'never') decision.forced = backends[0];
  }
  return decision;
}

function fromTraefikService(services: KubeObject[], ns: string, name: string): RouterDecision | undefined {
  const tsvc = services.find((s) => inNamespace(s, ns) && s.metadata.name === name && s.spec?.weighted);
  if (!tsvc) return undefined;
  const backends = (
    (tsvc.spec?.weighted?.services ?? []) as { name?: string; port?: number; weight?: number }[]
  ).map((s) => ({ service: s.name ?? '', port: s.port ?? 80, weight: s.weight ?? 1 }));
  return { kind: 'traefik', key: keyOf(tsvc, backends), backends, labels: {} };
}

/**
 * Smooth weighted round-robin (nginx's upstream algorithm, and Traefik's WRR in effect): every
 * window of the sum of the weights gets each backend exactly its weight, so a share measured
 * over a few hundred requests is the configured one. State is per object and weights.
 */
export class WeightedRoundRobin {
  private readonly state = new Map<string, number[]>();

  pick(key: string, backends: readonly WeightedBackend[]): WeightedBackend | undefined {
    const total = backends.reduce((n, b) => n + Math.max(0, b.weight), 0);
    if (total <= 0) return backends.length === 1 ? backends[0] : undefined;
    let current = this.state.get(key);
    if (!current) {
      if (this.state.size > 1000) this.state.clear();
      current = backends.map(() => 0);
      this.state.set(key, current);
    }
    let best = -1;
    for (let i = 0; i < backends.length; i++) {
      current[i]! += Math.max(0, backends[i]!.weight);
      if (best < 0 || current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return backends[best];
  }
}
