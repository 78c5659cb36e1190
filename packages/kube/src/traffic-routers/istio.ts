import { DomainError, type TargetRef, type TrafficRouter, type TrafficSplit } from '@aviary/core';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { statusOf, withRetry } from '../retry.ts';
import { type VirtualService, readSplit, splitServices, withSplit } from './istio-routes.ts';

export const istioGroup = 'networking.istio.io';

export interface IstioOptions {
  /** `v1` (Istio ≥ 1.22) or `v1beta1` for older meshes. */
  version?: string;
}

/**
 * Istio VirtualService weights (ROUTERS.md §2). Writes are GET → change the weights → PUT with
 * the fetched resourceVersion, so a concurrent edit is a 409 and the change is re-applied to
 * the latest object instead of overwriting it.
 */
export class IstioRouter implements TrafficRouter {
  private readonly version: string;
  /** namespace/service → VirtualService name, learnt by listing. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly custom: CustomObjectsApi,
    opts: IstioOptions = {},
  ) {
    this.version = opts.version ?? 'v1';
  }

  async getWeights(target: TargetRef): Promise<TrafficSplit> {
    const vs = await withRetry(`reading the ${target.service} VirtualService`, () => this.read(target));
    const split = readSplit(vs, target.service);
    if (!split) throw notCanaryable(target, vs.metadata.name);
    return split;
  }

  async setWeights(target: TargetRef, split: TrafficSplit): Promise<void> {
    await withRetry(`setting ${target.service} to ${split.stable}/${split.canary}`, async () => {
      const vs = await this.read(target);
      const current = readSplit(vs, target.service);
      if (current?.stable === split.stable && current.canary === split.canary) return;
      await this.custom.replaceNamespacedCustomObject({
        group: istioGroup,
        version: this.version,
        namespace: target.namespace,
        plural: 'virtualservices',
        name: vs.metadata.name,
        body: withSplit(vs, target.service, split),
      });
    });
  }

  /** Every VirtualService in all namespaces (discovery and reconciliation). */
  async list(): Promise<VirtualService[]> {
    const res = (await withRetry('listing VirtualServices', () =>
      this.custom.listClusterCustomObject({
        group: istioGroup,
        version: this.version,
        plural: 'virtualservices',
      }),
    )) as { items: VirtualService[] };
    for (const vs of res.items) {
      for (const service of splitServices(vs))
        this.names.set(`${vs.metadata.namespace}/${service}`, vs.metadata.name);
    }
    return res.items;
  }

  watchPath(): string {
    return `/apis/${istioGroup}/${this.version}/virtualservices`;
  }

  private async read(target: TargetRef): Promise<VirtualService> {
    const key = `${target.namespace}/${target.service}`;
    let name = this.names.get(key);
    if (!name) {
      await this.list();
      name = this.names.get(key);
      if (!name) throw notCanaryable(target);
    }
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: istioGroup,
        version: this.version,
        namespace: target.namespace,
        plural: 'virtualservices',
        name,
      })) as VirtualService;
    } catch (err) {
      if (statusOf(err) === 404) {
        this.names.delete(key);
        throw notCanaryable(target, name);
      }
      throw err;
    }
  }
}

function notCanaryable(target: TargetRef, vsName?: string): DomainError {
  const where = vsName ? `VirtualService ${vsName}` : 'no VirtualService';
  return new DomainError(
    'target-not-canaryable',
    `${target.service} in ${target.namespace}: ${where} routes it to subsets "stable" and "canary" with weights; see the README's "What a cluster needs"`,
  );
}
