import { DomainError, type TargetRef, type TrafficSplit } from '@aviary/core';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import type { LeanHttp } from '../lean-http.ts';
import { statusOf, withRetry } from '../retry.ts';
import { type VirtualService, readSplit, serviceOfHost, splitServices, withSplit } from './istio-routes.ts';
import type { ObservedSplit, RouterAdapter, RouterTarget } from './provider.ts';

interface DestinationRule {
  metadata: { name: string; namespace?: string };
  spec?: { host?: string; subsets?: { name?: string; labels?: Record<string, string> }[] };
}

export const istioGroup = 'networking.istio.io';

export interface IstioOptions {
  /** `v1` (Istio ≥ 1.22) or `v1beta1` for older meshes. */
  version?: string;
  /** A lean client for the weight write a rollback waits on; client-node's is used without one. */
  lean?: LeanHttp;
}

/**
 * Istio VirtualService weights. Writes are GET → change the weights → PUT with
 * the fetched resourceVersion, so a concurrent edit is a 409 and the change is re-applied to
 * the latest object instead of overwriting it.
 */
export class IstioRouter implements RouterAdapter {
  readonly id = 'istio' as const;
  private readonly version: string;
  private readonly lean: LeanHttp | undefined;
  /** namespace/service → VirtualService name, learnt by listing. */
  private readonly names = new Map<string, string>();
  /** namespace/service → the VirtualService as last read, written or watched. */
  private readonly latest = new Map<string, VirtualService>();

  constructor(
    private readonly custom: CustomObjectsApi,
    opts: IstioOptions = {},
  ) {
    this.version = opts.version ?? 'v1';
    this.lean = opts.lean;
  }

  async getWeights(target: TargetRef): Promise<TrafficSplit> {
    const vs = await withRetry(`reading the ${target.service} VirtualService`, () => this.read(target));
    const split = readSplit(vs, target.service);
    if (!split) throw notCanaryable(target, vs.metadata.name);
    return split;
  }

  /**
   * One PUT in the common case: the change is applied to the object as last seen, carrying its
   * resourceVersion. If someone changed it since, that is a 409, and the change is re-applied
   * to a fresh read — so a rollback costs one round trip and still never overwrites blindly.
   */
  async setWeights(target: TargetRef, split: TrafficSplit): Promise<void> {
    const key = `${target.namespace}/${target.service}`;
    let seen = this.latest.get(key);
    await withRetry(`setting ${target.service} to ${split.stable}/${split.canary}`, async () => {
      const vs = seen ?? (await this.read(target));
      if (!seen) {
        const current = readSplit(vs, target.service);
        if (current?.stable === split.stable && current.canary === split.canary) return;
      }
      seen = undefined;
      try {
        const body = withSplit(vs, target.service, split);
        const written = this.lean
          ? await this.lean.json<VirtualService>(
              'PUT',
              `apis/${istioGroup}/${this.version}/namespaces/${encodeURIComponent(target.namespace)}/virtualservices/${encodeURIComponent(vs.metadata.name)}`,
              body,
            )
          : ((await this.custom.replaceNamespacedCustomObject({
              group: istioGroup,
              version: this.version,
              namespace: target.namespace,
              plural: 'virtualservices',
              name: vs.metadata.name,
              body,
            })) as VirtualService);
        this.latest.set(key, written);
      } catch (err) {
        this.latest.delete(key);
        throw err;
      }
    });
  }

  /** The annotations of the target's VirtualService, from the latest copy seen (a GET only if none). */
  async annotations(target: TargetRef): Promise<Record<string, string>> {
    const vs =
      this.latest.get(`${target.namespace}/${target.service}`) ??
      (await withRetry('reading a VirtualService', () => this.read(target)));
    return (vs.metadata.annotations as Record<string, string> | undefined) ?? {};
  }

  /** Keep the latest copy of a VirtualService seen on a watch, and say which splits it holds. */
  observe(raw: unknown): ObservedSplit[] {
    const vs = raw as VirtualService;
    const namespace = vs.metadata.namespace ?? 'default';
    const out: ObservedSplit[] = [];
    for (const service of splitServices(vs)) {
      const key = `${namespace}/${service}`;
      const known = this.latest.get(key);
      if (!known || Number(vs.metadata.resourceVersion) >= Number(known.metadata.resourceVersion))
        this.latest.set(key, vs);
      this.names.set(key, vs.metadata.name);
      const weights = readSplit(vs, service);
      if (weights) out.push({ namespace, service, weights });
    }
    return out;
  }

  /**
   * Every service a VirtualService splits between DestinationRule subsets `stable` and `canary`;
   * a missing DestinationRule or subset is reported as a problem, not hidden.
   */
  async discover(): Promise<RouterTarget[]> {
    const [vsList, drList] = await Promise.all([
      this.list(),
      withRetry('listing DestinationRules', () =>
        this.custom.listClusterCustomObject({
          group: istioGroup,
          version: this.version,
          plural: 'destinationrules',
        }),
      ),
    ]);
    const rules = (drList as { items: DestinationRule[] }).items;
    const targets: RouterTarget[] = [];
    for (const vs of vsList) {
      const namespace = vs.metadata.namespace ?? 'default';
      for (const service of splitServices(vs)) {
        const problems: string[] = [];
        const dr = rules.find(
          (r) => r.metadata.namespace === namespace && serviceOfHost(r.spec?.host ?? '') === service,
        );
        if (!dr) problems.push(`no DestinationRule for host ${service} in ${namespace}`);
        else {
          for (const subset of ['stable', 'canary']) {
            const labels = dr.spec?.subsets?.find((s) => s.name === subset)?.labels;
            if (labels?.version !== subset)
              problems.push(
                `DestinationRule ${dr.metadata.name} needs subset "${subset}" selecting version: ${subset}`,
              );
          }
        }
        targets.push({
          namespace,
          service,
          objects: [
            { kind: 'VirtualService', name: vs.metadata.name },
            ...(dr ? [{ kind: 'DestinationRule', name: dr.metadata.name }] : []),
          ],
          metrics: 'istio',
          capabilities: { headerPreview: false, stickySessions: false },
          weights: readSplit(vs, service) ?? null,
          problems,
        });
      }
    }
    return targets;
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
      const vs = (await this.custom.getNamespacedCustomObject({
        group: istioGroup,
        version: this.version,
        namespace: target.namespace,
        plural: 'virtualservices',
        name,
      })) as VirtualService;
      this.latest.set(key, vs);
      return vs;
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
