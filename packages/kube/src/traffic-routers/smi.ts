import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { ObjectRouter, type RouterObjectBody, type SplitShape } from './object-router.ts';
import { type PairAccess, hasPair, readPair, writePair } from './pairs.ts';

// Linkerd's SMI TrafficSplit: `spec.service` is the apex the clients call,
// `spec.backends[].{service, weight}` relative weights (v1alpha2+: plain integers).

export interface Backend {
  service?: string;
  weight?: number | string;
  [key: string]: unknown;
}

export interface TrafficSplitObject extends RouterObjectBody {
  spec?: { service?: string; backends?: Backend[]; [key: string]: unknown };
}

/** v1alpha1 weights are Quantities (`900m`, `1`); later versions are integers. */
export function quantity(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(value.trim());
  if (!m) return 0;
  return Number(m[1]) / (m[2] === 'm' ? 1000 : 1);
}

const backends: PairAccess<Backend> = {
  name: (b) => b.service,
  weight: (b) => quantity(b.weight),
  withWeight: (b, weight) => ({ ...b, weight }),
};

const apexOf = (ts: TrafficSplitObject): string | undefined => ts.spec?.service?.split('.')[0];

export const trafficSplitShape: SplitShape<TrafficSplitObject> = {
  id: 'smi',
  group: 'split.smi-spec.io',
  version: 'v1alpha2',
  plural: 'trafficsplits',
  kind: 'TrafficSplit',
  needs: 'a TrafficSplit for the service needs backends <service>-stable and <service>-canary',
  capabilities: { headerPreview: false, stickySessions: false },
  services: (ts) => {
    const apex = apexOf(ts);
    return apex && hasPair(ts.spec?.backends ?? [], backends, apex) ? [apex] : [];
  },
  read: (ts, service) =>
    apexOf(ts) === service ? readPair(ts.spec?.backends ?? [], backends, service) : undefined,
  write: (ts, service, split) => {
    if (apexOf(ts) !== service || !hasPair(ts.spec?.backends ?? [], backends, service))
      throw new Error(`TrafficSplit ${ts.metadata.name} does not split ${service}`);
    return {
      ...ts,
      spec: { ...ts.spec, backends: writePair(ts.spec?.backends ?? [], backends, service, split) },
    };
  },
  metrics: () => 'linkerd',
  objects: (ts) => [{ kind: 'TrafficSplit', name: ts.metadata.name }],
};

export const smiRouter = (custom: CustomObjectsApi, core?: CoreV1Api) =>
  new ObjectRouter(custom, trafficSplitShape, core);
