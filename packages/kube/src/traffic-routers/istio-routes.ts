import type { TrafficSplit } from '@aviary/core';

// Pure reading and writing of the weights in an Istio VirtualService: Aviary's
// convention is one HTTP rule routing to the `stable` and `canary` subsets of the service's host.

export interface Destination {
  destination?: { host?: string; subset?: string; port?: unknown };
  weight?: number;
  [key: string]: unknown;
}

export interface HttpRoute {
  name?: string;
  match?: unknown[];
  route?: Destination[];
  [key: string]: unknown;
}

export interface VirtualService {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  spec?: { hosts?: string[]; http?: HttpRoute[]; [key: string]: unknown };
  [key: string]: unknown;
}

export const stableSubset = 'stable';
export const canarySubset = 'canary';

/** The short service name of a host: `checkout`, `checkout.shop`, `checkout.shop.svc.cluster.local`. */
export function serviceOfHost(host: string): string {
  return host.split('.')[0] ?? host;
}

function subsetsOf(rule: HttpRoute): { stable?: Destination; canary?: Destination } {
  const route = rule.route ?? [];
  return {
    stable: route.find((d) => d.destination?.subset === stableSubset),
    canary: route.find((d) => d.destination?.subset === canarySubset),
  };
}

/**
 * The rule that carries the canary split for a service: among the rules routing to both its
 * `stable` and `canary` subsets, the first without a `match` (the default route), else the first.
 * Header- or cookie-matched rules in front of it (sticky sessions, testers) are left alone.
 */
export function splitRuleIndex(vs: VirtualService, service: string): number {
  const candidates = (vs.spec?.http ?? [])
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => {
      const { stable, canary } = subsetsOf(rule);
      return (
        stable &&
        canary &&
        serviceOfHost(stable.destination?.host ?? '') === service &&
        serviceOfHost(canary.destination?.host ?? '') === service
      );
    });
  const unmatched = candidates.find(({ rule }) => !rule.match || rule.match.length === 0);
  return (unmatched ?? candidates[0])?.index ?? -1;
}

/** The services this VirtualService splits between `stable` and `canary`. */
export function splitServices(vs: VirtualService): string[] {
  const services = new Set<string>();
  for (const rule of vs.spec?.http ?? []) {
    const { stable, canary } = subsetsOf(rule);
    const host = stable?.destination?.host;
    if (host && canary && serviceOfHost(canary.destination?.host ?? '') === serviceOfHost(host)) {
      services.add(serviceOfHost(host));
    }
  }
  return [...services];
}

/** Percentages from relative weights (Istio ≥1.15 accepts any sum; a missing weight counts 0). */
export function readSplit(vs: VirtualService, service: string): TrafficSplit | undefined {
  const index = splitRuleIndex(vs, service);
  if (index < 0) return undefined;
  const { stable, canary } = subsetsOf(vs.spec!.http![index]!);
  const s = stable?.weight ?? 0;
  const c = canary?.weight ?? 0;
  if (s + c === 0) return undefined;
  const canaryPct = Math.round((100 * c) / (s + c));
  return { stable: 100 - canaryPct, canary: canaryPct };
}

/**
 * A copy of the VirtualService with the split set; every other field is kept as it was. Only the
 * path to the two weights is copied (the rest is shared with `vs`, which is left unchanged):
 * a rollback's write should not pay for cloning annotations and managedFields.
 */
export function withSplit(vs: VirtualService, service: string, split: TrafficSplit): VirtualService {
  const index = splitRuleIndex(vs, service);
  if (index < 0)
    throw new Error(
      `VirtualService ${vs.metadata.name} has no rule routing ${service} to subsets stable and canary`,
    );
  const { stable, canary } = subsetsOf(vs.spec!.http![index]!);
  const weighted = (d: Destination): Destination =>
    d === stable ? { ...d, weight: split.stable } : d === canary ? { ...d, weight: split.canary } : d;
  const http = vs.spec!.http!.map((rule, i) =>
    i === index ? { ...rule, route: rule.route!.map(weighted) } : rule,
  );
  return { ...vs, spec: { ...vs.spec, http } };
}
