import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ObjectRouter, type RouterObjectBody, type SplitShape } from './object-router.ts';
import { percentages, serviceOfBackend } from './provider.ts';

// ingress-nginx canary: a second Ingress for the same host and path with
// `canary: "true"` and `canary-weight` out of `canary-weight-total` (default 100), its backend
// the `<service>-canary` Service. The main Ingress gets the rest; it has no weight of its own.

const PREFIX = 'nginx.ingress.kubernetes.io/';
export const CANARY = `${PREFIX}canary`;
export const CANARY_WEIGHT = `${PREFIX}canary-weight`;
export const CANARY_WEIGHT_TOTAL = `${PREFIX}canary-weight-total`;

export interface IngressObject extends RouterObjectBody {
  spec?: {
    rules?: { host?: string; http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[];
    defaultBackend?: { service?: { name?: string } };
    [key: string]: unknown;
  };
}

function backendNames(ing: IngressObject): string[] {
  const names = (ing.spec?.rules ?? []).flatMap((r) =>
    (r.http?.paths ?? []).map((p) => p.backend?.service?.name),
  );
  names.push(ing.spec?.defaultBackend?.service?.name);
  return names.filter((n): n is string => Boolean(n));
}

const isCanary = (ing: IngressObject) => ing.metadata.annotations?.[CANARY] === 'true';
const total = (ing: IngressObject) => {
  const t = Number(ing.metadata.annotations?.[CANARY_WEIGHT_TOTAL] ?? 100);
  return Number.isInteger(t) && t > 0 ? t : 100;
};

export const canaryIngressShape: SplitShape<IngressObject> = {
  id: 'nginx',
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingresses',
  kind: 'Ingress',
  needs: `a canary Ingress (annotation ${CANARY}: "true") needs a backend <service>-canary`,
  capabilities: { headerPreview: false, stickySessions: false },
  services: (ing) => {
    if (!isCanary(ing)) return [];
    const out = new Set<string>();
    for (const name of backendNames(ing)) {
      const service = serviceOfBackend(name, 'canary');
      if (service) out.add(service);
    }
    return [...out];
  },
  read: (ing, service) => {
    if (!canaryIngressShape.services(ing).includes(service)) return undefined;
    const weight = Number(ing.metadata.annotations?.[CANARY_WEIGHT] ?? 0);
    const t = total(ing);
    const w = Number.isFinite(weight) ? Math.min(t, Math.max(0, weight)) : 0;
    return percentages(t - w, w);
  },
  write: (ing, service, split) => {
    if (!canaryIngressShape.services(ing).includes(service))
      throw new Error(`Ingress ${ing.metadata.name} is not a canary Ingress for ${service}`);
    const weight = Math.round((split.canary * total(ing)) / 100);
    return {
      ...ing,
      metadata: {
        ...ing.metadata,
        annotations: { ...ing.metadata.annotations, [CANARY_WEIGHT]: String(weight) },
      },
    };
  },
  metrics: () => 'nginx',
  objects: (ing) => [{ kind: 'Ingress', name: ing.metadata.name }],
};

export const nginxRouter = (custom: CustomObjectsApi, core?: CoreV1Api) =>
  new ObjectRouter(custom, canaryIngressShape, core);
