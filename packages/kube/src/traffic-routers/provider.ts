import type { MetricsSource, RouterCapabilities, RouterObject, RouterProvider } from '@aviary/contracts';
import type { TargetRef, TrafficRouter, TrafficSplit } from '@aviary/core';

/** A service one router object splits between its stable and canary, as found in the cluster. */
export interface RouterTarget {
  namespace: string;
  service: string;
  /** The objects the split lives in and depends on, for the targets page. */
  objects: RouterObject[];
  metrics: MetricsSource;
  capabilities: RouterCapabilities;
  weights: TrafficSplit | null;
  /** What the router's objects still lack; empty when the split can be driven. */
  problems: string[];
}

/** A split seen on a watch: what the engine reconciles against. */
export interface ObservedSplit {
  namespace: string;
  service: string;
  weights: TrafficSplit;
}

/**
 * One traffic router's adapter. It owns everything that
 * names the router: finding its targets, reading and writing the split (with resourceVersion and
 * a read-back), following its objects for drift. Core only ever sees `TrafficRouter`.
 */
export interface RouterAdapter extends TrafficRouter {
  readonly id: RouterProvider;
  discover(): Promise<RouterTarget[]>;
  /** Annotations of the object holding the target's split (its metric profile lives there). */
  annotations(target: TargetRef): Promise<Record<string, string>>;
  /** The cluster-wide watch path of the objects holding splits. */
  watchPath(): string;
  /** The splits a watched object holds; the adapter keeps the object as its latest copy. */
  observe(object: unknown): ObservedSplit[];
}

/** The two Services a Service-splitting router sends to: `<service>-stable` and `<service>-canary`. */
export const stableServiceOf = (service: string) => `${service}-stable`;
export const canaryServiceOf = (service: string) => `${service}-canary`;

/** `checkout` for `checkout-stable` or `checkout-canary`; undefined for any other name. */
export function serviceOfBackend(name: string, arm: 'stable' | 'canary'): string | undefined {
  const suffix = `-${arm}`;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : undefined;
}

/** Percentages from two relative weights; undefined when both are 0 (nothing is routed). */
export function percentages(stable: number, canary: number): TrafficSplit | undefined {
  const s = Math.max(0, stable);
  const c = Math.max(0, canary);
  if (s + c === 0) return undefined;
  const canaryPct = Math.round((100 * c) / (s + c));
  return { stable: 100 - canaryPct, canary: canaryPct };
}

/** The split a router object holds must be the one written; anything else is not trusted. */
export function sameSplit(a: TrafficSplit | undefined, b: TrafficSplit): boolean {
  return a !== undefined && a.stable === b.stable && a.canary === b.canary;
}
