import type { MetricsSource, RouterCapabilities, RouterObject, RouterProvider } from '@aviary/contracts';
import { DomainError, type TargetRef, type TrafficSplit } from '@aviary/core';
import type { CoreV1Api, CustomObjectsApi, V1Service } from '@kubernetes/client-node';
import { statusOf, withRetry } from '../retry.ts';
import {
  type ObservedSplit,
  type RouterAdapter,
  type RouterTarget,
  canaryServiceOf,
  sameSplit,
  stableServiceOf,
} from './provider.ts';

/** The label on the `-stable` and `-canary` Services Aviary created. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'aviary' };

export interface RouterObjectBody {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** How one router keeps its split in one kind of object: pure functions, tested on their own. */
export interface SplitShape<T extends RouterObjectBody> {
  id: RouterProvider;
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** What a user must create, for "not canaryable" messages. */
  needs: string;
  capabilities: RouterCapabilities;
  /** The services this object splits (none when it is not a canary split). */
  services(object: T): string[];
  read(object: T, service: string): TrafficSplit | undefined;
  /** A copy with the split set; every other field kept. Throws when the object cannot hold it. */
  write(object: T, service: string, split: TrafficSplit): T;
  metrics(object: T): MetricsSource;
  objects(object: T, service: string): RouterObject[];
  problems?(object: T, service: string): string[];
}

/**
 * A router whose split lives in one namespaced object reached through the generic custom-object
 * endpoints (CRDs and Ingress alike). Writes are GET → change the weights → PUT with the
 * fetched resourceVersion (a concurrent edit is a 409, retried on a fresh read), and the answer
 * is read back: the write only counts when the object now holds the split asked for.
 */
export class ObjectRouter<T extends RouterObjectBody> implements RouterAdapter {
  readonly id: RouterProvider;
  private readonly names = new Map<string, string>();
  private readonly latest = new Map<string, T>();

  constructor(
    private readonly custom: CustomObjectsApi,
    private readonly shape: SplitShape<T>,
    /** Without it, the `-stable`/`-canary` Services must exist already. */
    private readonly core?: CoreV1Api,
  ) {
    this.id = shape.id;
  }

  async getWeights(target: TargetRef): Promise<TrafficSplit> {
    const object = await withRetry(`reading the ${target.service} ${this.shape.kind}`, () =>
      this.read(target),
    );
    const split = this.shape.read(object, target.service);
    if (!split) throw this.notCanaryable(target, object.metadata.name);
    return split;
  }

  async setWeights(target: TargetRef, split: TrafficSplit): Promise<void> {
    const key = keyOf(target.namespace, target.service);
    await withRetry(`setting ${target.service} to ${split.stable}/${split.canary}`, async () => {
      const object = await this.read(target);
      const current = this.shape.read(object, target.service);
      if (sameSplit(current, split)) return;
      // Checked as the canary first gets traffic (once per rollout), not on every step.
      if (split.canary > 0 && !current?.canary) await this.ensureServices(target);
      const written = (await this.custom.replaceNamespacedCustomObject({
        group: this.shape.group,
        version: this.shape.version,
        namespace: target.namespace,
        plural: this.shape.plural,
        name: object.metadata.name,
        body: this.shape.write(object, target.service, split),
      })) as T;
      this.latest.set(key, written);
      const now = this.shape.read(written, target.service);
      if (!sameSplit(now, split))
        throw new Error(
          `${this.shape.kind} ${object.metadata.name} holds ${now ? `${now.stable}/${now.canary}` : 'no split'} after writing ${split.stable}/${split.canary}`,
        );
    });
  }

  /**
   * The router sends to `<service>-stable` and `<service>-canary`: when one is missing, create it
   * from the target's own Service (its selector plus `version`, its ports), so a canary is never
   * weighted towards a Service that does not exist. Existing ones are left as their owners made them.
   */
  async ensureServices(target: TargetRef): Promise<void> {
    if (!this.core) return;
    const core = this.core;
    const read = (name: string) =>
      withRetry(`reading Service ${name}`, async () => {
        try {
          return await core.readNamespacedService({ name, namespace: target.namespace });
        } catch (err) {
          if (statusOf(err) === 404) return undefined;
          throw err;
        }
      });
    for (const [arm, name] of [
      ['stable', stableServiceOf(target.service)],
      ['canary', canaryServiceOf(target.service)],
    ] as const) {
      if (await read(name)) continue;
      const apex = await read(target.service);
      if (!apex?.spec?.selector)
        throw new DomainError(
          'target-not-canaryable',
          `${target.service} in ${target.namespace}: Service ${name} is missing, and there is no Service ${target.service} with a selector to make it from`,
        );
      const body: V1Service = {
        metadata: { name, namespace: target.namespace, labels: { ...apex.metadata?.labels, ...MANAGED_BY } },
        spec: {
          selector: { ...apex.spec.selector, version: arm },
          ports: (apex.spec.ports ?? []).map(({ nodePort: _, ...port }) => port),
        },
      };
      await withRetry(`creating Service ${name}`, async () => {
        try {
          await core.createNamespacedService({ namespace: target.namespace, body });
        } catch (err) {
          // Someone made it meanwhile: theirs stands.
          if (statusOf(err) !== 409) throw err;
        }
      });
    }
  }

  async annotations(target: TargetRef): Promise<Record<string, string>> {
    const object =
      this.latest.get(keyOf(target.namespace, target.service)) ??
      (await withRetry(`reading a ${this.shape.kind}`, () => this.read(target)));
    return object.metadata.annotations ?? {};
  }

  async discover(): Promise<RouterTarget[]> {
    const targets: RouterTarget[] = [];
    for (const object of await this.list()) {
      const namespace = object.metadata.namespace ?? 'default';
      for (const service of this.shape.services(object)) {
        targets.push({
          namespace,
          service,
          objects: this.shape.objects(object, service),
          metrics: this.shape.metrics(object),
          capabilities: this.shape.capabilities,
          weights: this.shape.read(object, service) ?? null,
          problems: this.shape.problems?.(object, service) ?? [],
        });
      }
    }
    return targets;
  }

  watchPath(): string {
    return `/apis/${this.shape.group}/${this.shape.version}/${this.shape.plural}`;
  }

  observe(raw: unknown): ObservedSplit[] {
    const object = raw as T;
    const namespace = object.metadata?.namespace ?? 'default';
    const out: ObservedSplit[] = [];
    for (const service of this.shape.services(object)) {
      const key = keyOf(namespace, service);
      const known = this.latest.get(key);
      if (!known || Number(object.metadata.resourceVersion) >= Number(known.metadata.resourceVersion))
        this.latest.set(key, object);
      this.names.set(key, object.metadata.name);
      const weights = this.shape.read(object, service);
      if (weights) out.push({ namespace, service, weights });
    }
    return out;
  }

  private async list(): Promise<T[]> {
    const res = (await withRetry(`listing ${this.shape.kind}s`, () =>
      this.custom.listClusterCustomObject({
        group: this.shape.group,
        version: this.shape.version,
        plural: this.shape.plural,
      }),
    )) as { items: T[] };
    for (const object of res.items) {
      for (const service of this.shape.services(object))
        this.names.set(keyOf(object.metadata.namespace ?? 'default', service), object.metadata.name);
    }
    return res.items;
  }

  private async read(target: TargetRef): Promise<T> {
    const key = keyOf(target.namespace, target.service);
    let name = this.names.get(key);
    if (!name) {
      await this.list();
      name = this.names.get(key);
      if (!name) throw this.notCanaryable(target);
    }
    try {
      const object = (await this.custom.getNamespacedCustomObject({
        group: this.shape.group,
        version: this.shape.version,
        namespace: target.namespace,
        plural: this.shape.plural,
        name,
      })) as T;
      this.latest.set(key, object);
      return object;
    } catch (err) {
      if (statusOf(err) === 404) {
        this.names.delete(key);
        throw this.notCanaryable(target, name);
      }
      throw err;
    }
  }

  private notCanaryable(target: TargetRef, name?: string): DomainError {
    const where = name ? `${this.shape.kind} ${name} does not split it` : `no ${this.shape.kind} splits it`;
    return new DomainError(
      'target-not-canaryable',
      `${target.service} in ${target.namespace}: ${where}; ${this.shape.needs} (see the README's "What a cluster needs")`,
    );
  }
}

const keyOf = (namespace: string, service: string) => `${namespace}/${service}`;
