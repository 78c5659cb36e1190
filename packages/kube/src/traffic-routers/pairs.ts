import type { TrafficSplit } from '@aviary/core';
import { canaryServiceOf, percentages, serviceOfBackend, stableServiceOf } from './provider.ts';

/**
 * Routers that split between Services (Gateway API, SMI, Traefik) list weighted entries naming
 * `<service>-stable` and `<service>-canary`. These helpers find such a pair in one list, read its
 * share and write it, whatever the list's entries look like otherwise.
 */
export interface PairAccess<E> {
  name(entry: E): string | undefined;
  /** The weight as the router reads it (its own default when absent). */
  weight(entry: E): number;
  withWeight(entry: E, weight: number): E;
}

/** The services a list splits: those with both a `-stable` and a `-canary` entry. */
export function pairedServices<E>(entries: readonly E[], access: PairAccess<E>): string[] {
  const names = new Set(entries.map((e) => access.name(e)));
  const out: string[] = [];
  for (const name of names) {
    const service = name ? serviceOfBackend(name, 'stable') : undefined;
    if (service && names.has(canaryServiceOf(service)) && !out.includes(service)) out.push(service);
  }
  return out;
}

export function hasPair<E>(entries: readonly E[], access: PairAccess<E>, service: string): boolean {
  const names = entries.map((e) => access.name(e));
  return names.includes(stableServiceOf(service)) && names.includes(canaryServiceOf(service));
}

export function readPair<E>(
  entries: readonly E[],
  access: PairAccess<E>,
  service: string,
): TrafficSplit | undefined {
  if (!hasPair(entries, access, service)) return undefined;
  const sum = (name: string) =>
    entries.filter((e) => access.name(e) === name).reduce((n, e) => n + access.weight(e), 0);
  return percentages(sum(stableServiceOf(service)), sum(canaryServiceOf(service)));
}

/** Weights in percent: Aviary writes 100 in total, like Argo Rollouts and Flagger do. */
export function writePair<E>(
  entries: readonly E[],
  access: PairAccess<E>,
  service: string,
  split: TrafficSplit,
): E[] {
  return entries.map((e) => {
    const name = access.name(e);
    if (name === stableServiceOf(service)) return access.withWeight(e, split.stable);
    if (name === canaryServiceOf(service)) return access.withWeight(e, split.canary);
    return e;
  });
}
