import { type MetricsSource, metricsSources } from '@aviary/contracts';
import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ObjectRouter, type RouterObjectBody, type SplitShape } from './object-router.ts';
import { type PairAccess, hasPair, pairedServices, readPair, writePair } from './pairs.ts';

// Gateway API HTTPRoute: `rules[].backendRefs[].weight`, default 1, relative
// within one rule. North-south (parent a Gateway) and mesh (GAMMA, parent a Service) alike.

export interface BackendRef {
  name?: string;
  weight?: number;
  [key: string]: unknown;
}

export interface HttpRouteRule {
  matches?: unknown[];
  backendRefs?: BackendRef[];
  [key: string]: unknown;
}

export interface HttpRoute extends RouterObjectBody {
  spec?: { parentRefs?: { kind?: string; name?: string }[]; rules?: HttpRouteRule[]; [key: string]: unknown };
}

/** Which data plane's metrics to read for a route: the data plane is not in the HTTPRoute itself. */
export const METRICS_ANNOTATION = 'aviary.dev/metrics';

const refs: PairAccess<BackendRef> = {
  name: (r) => r.name,
  weight: (r) => r.weight ?? 1,
  withWeight: (r, weight) => ({ ...r, weight }),
};

/**
 * The rule carrying a service's split: among rules with both backends, the first without
 * `matches` (the default), else the first. Header-matched rules before it (preview) stay as they are.
 */
export function splitRuleIndex(route: HttpRoute, service: string): number {
  const rules = route.spec?.rules ?? [];
  const candidates = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => hasPair(rule.backendRefs ?? [], refs, service));
  const plain = candidates.find(({ rule }) => !rule.matches || rule.matches.length === 0);
  return (plain ?? candidates[0])?.index ?? -1;
}

export const httpRouteShape: SplitShape<HttpRoute> = {
  id: 'gateway-api',
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'httproutes',
  kind: 'HTTPRoute',
  needs: 'an HTTPRoute rule needs backendRefs <service>-stable and <service>-canary with weights',
  capabilities: { headerPreview: false, stickySessions: false },
  services: (route) => {
    const out = new Set<string>();
    for (const rule of route.spec?.rules ?? [])
      for (const s of pairedServices(rule.backendRefs ?? [], refs)) out.add(s);
    return [...out];
  },
  read: (route, service) => {
    const index = splitRuleIndex(route, service);
    return index < 0 ? undefined : readPair(route.spec!.rules![index]!.backendRefs ?? [], refs, service);
  },
  write: (route, service, split) => {
    const index = splitRuleIndex(route, service);
    if (index < 0)
      throw new Error(
        `HTTPRoute ${route.metadata.name} has no rule sending to ${service}-stable and ${service}-canary`,
      );
    const rules = route.spec!.rules!.map((rule, i) =>
      i === index ? { ...rule, backendRefs: writePair(rule.backendRefs ?? [], refs, service, split) } : rule,
    );
    return { ...route, spec: { ...route.spec, rules } };
  },
  metrics: (route) => {
    const wanted = route.metadata.annotations?.[METRICS_ANNOTATION];
    return (metricsSources as readonly string[]).includes(wanted ?? '') ? (wanted as MetricsSource) : 'app';
  },
  objects: (route) => [{ kind: 'HTTPRoute', name: route.metadata.name }],
  problems: (route) =>
    (route.spec?.parentRefs ?? []).length === 0
      ? [`HTTPRoute ${route.metadata.name} has no parentRefs, so no Gateway or mesh applies it`]
      : [],
};

export const gatewayApiRouter = (custom: CustomObjectsApi, core?: CoreV1Api) =>
  new ObjectRouter(custom, httpRouteShape, core);
