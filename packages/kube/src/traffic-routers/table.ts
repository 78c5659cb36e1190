import type { MetricsSource, RouterProvider } from '@aviary/contracts';
import { DomainError, type TargetRef, type TrafficRouter, type TrafficSplit } from '@aviary/core';
import { statusOf } from '../retry.ts';
import type { RouterAdapter, RouterTarget } from './provider.ts';

/** The cluster does not serve the router's kind at all (its CRD is not installed): 404 on the list. */
function notServed(err: unknown): boolean {
  return statusOf(err) === 404 || (err instanceof DomainError && err.details.status === 404);
}

export interface RoutedTarget extends RouterTarget {
  router: RouterProvider;
}

/**
 * Every router's adapter behind core's one `TrafficRouter` port: calls go to the adapter the
 * target's `router` names. It also remembers, from the last discovery, which router and metrics
 * source each service uses, so a start request needs only namespace and service.
 */
export class TrafficRouters implements TrafficRouter {
  private readonly byId: Map<RouterProvider, RouterAdapter>;
  private known = new Map<string, RoutedTarget>();

  constructor(
    readonly adapters: readonly RouterAdapter[],
    /** Whether a service's stable Deployment exists: tells "no such service" from "not routed". */
    private readonly workloadExists?: (namespace: string, service: string) => Promise<boolean>,
  ) {
    this.byId = new Map(adapters.map((a) => [a.id, a]));
  }

  adapter(id: RouterProvider): RouterAdapter {
    const adapter = this.byId.get(id);
    if (!adapter) throw new DomainError('target-not-canaryable', `no traffic router "${id}" is configured`);
    return adapter;
  }

  getWeights(target: TargetRef): Promise<TrafficSplit> {
    return this.adapter(target.router).getWeights(target);
  }

  setWeights(target: TargetRef, split: TrafficSplit): Promise<void> {
    return this.adapter(target.router).setWeights(target, split);
  }

  annotations(target: TargetRef): Promise<Record<string, string>> {
    return this.adapter(target.router).annotations(target);
  }

  /**
   * Every router's targets, sorted; a service split by two routers is reported by both. A router
   * whose kind the cluster does not serve (most clusters run one or two) simply has no targets.
   */
  async discover(): Promise<RoutedTarget[]> {
    const found = await Promise.all(
      this.adapters.map(async (a) => {
        try {
          return (await a.discover()).map((t) => ({ ...t, router: a.id }));
        } catch (err) {
          if (notServed(err)) return [];
          throw err;
        }
      }),
    );
    const targets = found
      .flat()
      .sort(
        (a, b) =>
          a.namespace.localeCompare(b.namespace) ||
          a.service.localeCompare(b.service) ||
          a.router.localeCompare(b.router),
      );
    this.known = new Map(targets.map((t) => [`${t.namespace}/${t.service}`, t]));
    return targets;
  }

  /** The target a service is, from the last discovery (discovering again when unknown). */
  async resolve(namespace: string, service: string): Promise<RoutedTarget> {
    const key = `${namespace}/${service}`;
    if (!this.known.has(key)) await this.discover();
    const hit = this.known.get(key);
    if (!hit && this.workloadExists && !(await this.workloadExists(namespace, service)))
      throw new DomainError(
        'target-not-found',
        `no Deployment ${service} in namespace ${namespace}; GET /api/v1/targets lists the services Aviary can canary`,
      );
    if (!hit)
      throw new DomainError(
        'target-not-canaryable',
        `${service} in ${namespace}: no traffic router splits it between a stable and a canary; GET /api/v1/targets lists the services Aviary can canary (see the README's "What a cluster needs")`,
      );
    return hit;
  }

  /** A target's metrics source; its router's usual one until discovery has seen it. */
  async metricsOf(target: TargetRef): Promise<MetricsSource> {
    const key = `${target.namespace}/${target.service}`;
    const hit = this.known.get(key);
    if (hit && hit.router === target.router) return hit.metrics;
    return (await this.resolve(target.namespace, target.service)).metrics;
  }
}
