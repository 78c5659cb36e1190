import type { RolloutEvent } from '@aviary/contracts';
import { finalPhases } from '@aviary/contracts';
import { DomainError } from '../src/errors.ts';
import type {
  HistoryStore,
  NewAuditRecord,
  NewEvent,
  Page,
  RolloutChanges,
  RolloutFilter,
  StoredRollout,
  TargetRef,
  TrafficRouter,
  TrafficSplit,
  Workloads,
  Written,
} from '../src/ports.ts';

// In-process stand-ins for unit tests of the engine's logic. The real adapters (SQLite, the
// cluster through client-node) are tested against the real things in their own packages.

export class MemoryHistory implements HistoryStore {
  rollouts = new Map<string, StoredRollout>();
  log: RolloutEvent[] = [];
  /** Audit records, each written by the same update as the events it goes with. */
  audit: NewAuditRecord[] = [];

  get(id: string) {
    const r = this.rollouts.get(id);
    return r ? structuredClone(r) : null;
  }
  findActive(namespace: string, service: string) {
    return (
      this.listActive().find((r) => r.target.namespace === namespace && r.target.service === service) ?? null
    );
  }
  listActive() {
    return [...this.rollouts.values()]
      .filter((r) => !finalPhases.includes(r.phase))
      .map((r) => structuredClone(r));
  }
  listPending() {
    return [...this.rollouts.values()].filter((r) => r.operation).map((r) => structuredClone(r));
  }
  list(_filter: RolloutFilter, limit: number): Page<StoredRollout> {
    return { items: [...this.rollouts.values()].slice(0, limit), nextCursor: null };
  }
  events(rolloutId: string) {
    return this.log.filter((e) => e.rolloutId === rolloutId);
  }
  create(rollout: StoredRollout, events: NewEvent[], audit?: NewAuditRecord): Written {
    if (this.findActive(rollout.target.namespace, rollout.target.service)) {
      throw new DomainError('active-rollout-exists', 'exists');
    }
    this.rollouts.set(rollout.id, structuredClone(rollout));
    if (audit) this.audit.push(structuredClone(audit));
    return { rollout: structuredClone(rollout), events: this.append(rollout.id, events) };
  }
  update(
    id: string,
    expectedVersion: number,
    changes: RolloutChanges,
    events: NewEvent[],
    audit?: NewAuditRecord,
  ): Written | null {
    const r = this.rollouts.get(id);
    if (!r || r.version !== expectedVersion) return null;
    const next = { ...r, ...structuredClone(changes), version: r.version + 1 };
    this.rollouts.set(id, next);
    if (audit) this.audit.push(structuredClone(audit));
    return { rollout: structuredClone(next), events: this.append(id, events) };
  }
  private append(rolloutId: string, events: NewEvent[]): RolloutEvent[] {
    const stored = events.map((e) => ({ ...e, id: this.log.length + 1, rolloutId }));
    for (const e of stored) this.log.push(e);
    return stored;
  }
}

export const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

/** A cluster that logs every call in order and can be told to fail or stall. */
export class FakeCluster implements TrafficRouter, Workloads {
  weights: TrafficSplit = { stable: 100, canary: 0 };
  stableReplicas = 4;
  stableImage = 'registry.local/shop/checkout:1.0.0';
  canaryReplicas = 0;
  canaryImage: string | undefined;
  calls: string[] = [];
  failNext: Partial<Record<string, Error>> = {};
  stallCanary: Promise<void> | undefined;

  private hit(name: string) {
    this.calls.push(name);
    const err = this.failNext[name.split(' ')[0]!];
    if (err) {
      delete this.failNext[name.split(' ')[0]!];
      throw err;
    }
  }
  async getWeights(_t: TargetRef) {
    return { ...this.weights };
  }
  async setWeights(_t: TargetRef, split: TrafficSplit) {
    this.hit(`setWeights ${split.stable}/${split.canary}`);
    this.weights = { ...split };
  }
  async stable(_t: TargetRef) {
    return { replicas: this.stableReplicas, image: this.stableImage };
  }
  /** A `<service>-canary` that someone other than Aviary created. */
  foreignCanary = false;
  async assertCanaryManaged(_t: TargetRef) {
    if (this.foreignCanary) throw new DomainError('not-managed', 'not created by Aviary');
  }
  async ensureCanary(_t: TargetRef, image: string, replicas: number) {
    this.hit(`ensureCanary ${image} ${replicas}`);
    this.canaryImage = image;
    this.canaryReplicas = replicas;
  }
  async scaleCanary(_t: TargetRef, replicas: number) {
    this.hit(`scaleCanary ${replicas}`);
    this.canaryReplicas = replicas;
  }
  async setStableImage(_t: TargetRef, image: string) {
    this.hit(`setStableImage ${image}`);
    this.stableImage = image;
  }
  async waitCanaryAvailable(_t: TargetRef) {
    this.hit('waitCanaryAvailable');
    await this.stallCanary;
  }
  async waitStableAvailable(_t: TargetRef) {
    this.hit('waitStableAvailable');
  }
}
