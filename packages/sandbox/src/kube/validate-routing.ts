import type { KubeObject } from './store.ts';

/** Rules for the routing kinds Aviary writes weights to (Istio, Gateway API, SMI, Traefik). */

export interface Cause {
  field: string;
  message: string;
}

export type KindRule = (obj: KubeObject, old: KubeObject | undefined, causes: Cause[]) => void;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNonNegativeInt = (v: unknown): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

export const virtualService: KindRule = (obj, _old, causes) => {
  const spec = obj.spec;
  if (!isRecord(spec) || !Array.isArray(spec.hosts) || spec.hosts.length === 0) {
    causes.push({ field: 'spec.hosts', message: 'Required value: a VirtualService needs at least one host' });
  } else if (spec.hosts.some((h: unknown) => typeof h !== 'string' || h === '')) {
    causes.push({ field: 'spec.hosts', message: 'Invalid value: hosts must be non-empty strings' });
  }
  const http: unknown = isRecord(spec) ? spec.http : undefined;
  if (http === undefined) return;
  if (!Array.isArray(http)) {
    causes.push({ field: 'spec.http', message: 'Invalid value: must be a list' });
    return;
  }
  http.forEach((route: unknown, i) => {
    const routes = isRecord(route) ? route.route : undefined;
    if (routes === undefined) return;
    if (!Array.isArray(routes)) {
      causes.push({ field: `spec.http[${i}].route`, message: 'Invalid value: must be a list' });
      return;
    }
    routes.forEach((dest: unknown, j) => {
      const field = `spec.http[${i}].route[${j}]`;
      if (
        !isRecord(dest) ||
        !isRecord(dest.destination) ||
        typeof dest.destination.host !== 'string' ||
        dest.destination.host === ''
      ) {
        causes.push({ field: `${field}.destination.host`, message: 'Required value' });
      }
      if (isRecord(dest) && dest.weight !== undefined && !isNonNegativeInt(dest.weight)) {
        causes.push({
          field: `${field}.weight`,
          message: `Invalid value: ${JSON.stringify(dest.weight)}: weight must be a non-negative integer`,
        });
      }
    });
  });
};

export const destinationRule: KindRule = (obj, _old, causes) => {
  const spec = obj.spec;
  if (!isRecord(spec) || typeof spec.host !== 'string' || spec.host === '') {
    causes.push({ field: 'spec.host', message: 'Required value' });
  }
  const subsets: unknown = isRecord(spec) ? spec.subsets : undefined;
  if (subsets === undefined) return;
  if (!Array.isArray(subsets)) {
    causes.push({ field: 'spec.subsets', message: 'Invalid value: must be a list' });
    return;
  }
  const names = new Set<string>();
  subsets.forEach((s: unknown, i) => {
    const name = isRecord(s) ? s.name : undefined;
    if (typeof name !== 'string' || name === '')
      causes.push({ field: `spec.subsets[${i}].name`, message: 'Required value' });
    else if (names.has(name))
      causes.push({ field: `spec.subsets[${i}].name`, message: `Duplicate value: "${name}"` });
    else names.add(name);
  });
};

/** Weighted backends (Gateway API backendRefs, SMI backends, Traefik services) take integer weights. */
function weightsAt(listOf: (spec: Record<string, unknown>) => { field: string; items: unknown }[]): KindRule {
  return (obj, _old, causes) => {
    if (!isRecord(obj.spec)) return;
    for (const { field, items } of listOf(obj.spec)) {
      if (!Array.isArray(items)) continue;
      items.forEach((item: unknown, i) => {
        if (isRecord(item) && item.weight !== undefined && !isNonNegativeInt(item.weight)) {
          causes.push({
            field: `${field}[${i}].weight`,
            message: 'Invalid value: weight must be a non-negative integer',
          });
        }
      });
    }
  };
}

export const httpRoute = weightsAt((spec) =>
  (Array.isArray(spec.rules) ? spec.rules : []).map((rule: unknown, i) => ({
    field: `spec.rules[${i}].backendRefs`,
    items: isRecord(rule) ? rule.backendRefs : undefined,
  })),
);
export const trafficSplit = weightsAt((spec) => [{ field: 'spec.backends', items: spec.backends }]);
export const traefikService = weightsAt((spec) => [
  { field: 'spec.weighted.services', items: isRecord(spec.weighted) ? spec.weighted.services : undefined },
]);
