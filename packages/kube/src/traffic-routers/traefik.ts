import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ObjectRouter, type RouterObjectBody, type SplitShape } from './object-router.ts';
import { type PairAccess, hasPair, pairedServices, readPair, writePair } from './pairs.ts';

// Traefik's TraefikService: `spec.weighted.services[].{name, weight}`, weighted
// round robin over relative integers; `traefik.io/v1alpha1` (the `traefik.containo.us` group is gone in v3).

export interface WeightedService {
  name?: string;
  kind?: string;
  weight?: number;
  [key: string]: unknown;
}

export interface TraefikServiceObject extends RouterObjectBody {
  spec?: {
    weighted?: { services?: WeightedService[]; sticky?: unknown; [key: string]: unknown };
    [key: string]: unknown;
  };
}

const children: PairAccess<WeightedService> = {
  // Only Kubernetes Services count; a nested TraefikService is another router's business.
  name: (s) => (s.kind === undefined || s.kind === 'Service' ? s.name : undefined),
  weight: (s) => s.weight ?? 1,
  withWeight: (s, weight) => ({ ...s, weight }),
};

const servicesOf = (ts: TraefikServiceObject) => ts.spec?.weighted?.services ?? [];

export const traefikServiceShape: SplitShape<TraefikServiceObject> = {
  id: 'traefik',
  group: 'traefik.io',
  version: 'v1alpha1',
  plural: 'traefikservices',
  kind: 'TraefikService',
  needs: 'a TraefikService needs weighted services <service>-stable and <service>-canary',
  capabilities: { headerPreview: false, stickySessions: false },
  services: (ts) => pairedServices(servicesOf(ts), children),
  read: (ts, service) => readPair(servicesOf(ts), children, service),
  write: (ts, service, split) => {
    if (!hasPair(servicesOf(ts), children, service))
      throw new Error(
        `TraefikService ${ts.metadata.name} does not weigh ${service}-stable and ${service}-canary`,
      );
    return {
      ...ts,
      spec: {
        ...ts.spec,
        weighted: { ...ts.spec?.weighted, services: writePair(servicesOf(ts), children, service, split) },
      },
    };
  },
  metrics: () => 'traefik',
  objects: (ts) => [{ kind: 'TraefikService', name: ts.metadata.name }],
};

export const traefikRouter = (custom: CustomObjectsApi, core?: CoreV1Api) =>
  new ObjectRouter(custom, traefikServiceShape, core);
