import type {
  AuditRecord,
  EventAction,
  GateResult,
  MetricPoint,
  Rollout,
  RolloutEvent,
  RolloutPhase,
  TargetProfile,
  Role,
  TargetRef,
} from '@aviary/contracts';

export type { TargetRef };

/** The live share of traffic, in percent, read back from the router object. */
export interface TrafficSplit {
  stable: number;
  canary: number;
}

/**
 * One implementation per traffic router (packages/kube/src/traffic-routers/<provider>.ts).
 * Core decides; adapters only read and write the router object, retrying conflicts themselves.
 */
export interface TrafficRouter {
  getWeights(target: TargetRef): Promise<TrafficSplit>;
  setWeights(target: TargetRef, split: TrafficSplit): Promise<void>;
}

/**
 * Which router splits a service, as the cluster says (requests name only namespace and service).
 * Rejects with DomainError `target-not-canaryable` when no router splits it.
 */
export interface TargetResolver {
  resolve(namespace: string, service: string): Promise<TargetRef>;
}

/** The stable workload of a target, as the cluster runs it. */
export interface StableWorkload {
  replicas: number;
  image: string;
}

/** The Deployments behind a target: `<service>` (stable) and `<service>-canary`. */
export interface Workloads {
  stable(target: TargetRef): Promise<StableWorkload>;
  /**
   * Resolves when there is no `<service>-canary` Deployment or Aviary created it; otherwise
   * DomainError `not-managed` (Aviary never touches a Deployment it did not create).
   */
  assertCanaryManaged(target: TargetRef): Promise<void>;
  /** Create or update the canary from the stable pod template with `image`, at `replicas`. */
  ensureCanary(target: TargetRef, image: string, replicas: number): Promise<void>;
  scaleCanary(target: TargetRef, replicas: number): Promise<void>;
  setStableImage(target: TargetRef, image: string): Promise<void>;
  /** Resolves once the Deployment's rollout is complete and all replicas available; rejects on timeout. */
  waitCanaryAvailable(target: TargetRef): Promise<void>;
  waitStableAvailable(target: TargetRef): Promise<void>;
}

/** An audit record before the store gives it its id. */
export type NewAuditRecord = Omit<AuditRecord, 'id'>;

/**
 * Who asked for an action and from where, for the audit trail. The engine writes the action's
 * audit record in the same transaction as its event, so the two never disagree.
 */
export interface AuditContext {
  actor: string;
  role: Role | null;
  sourceAddress: string | null;
  /** Recorded next to the rollout's state after the action, e.g. the request as it was sent. */
  context: Record<string, unknown>;
}

/** A cluster operation under way, persisted with the rollout so a restart can finish it. */
export interface PendingOperation {
  type: 'start' | 'set-weight' | 'promote' | 'rollback';
  /** The user-facing action that started it (recorded as the event once it completes). */
  action: EventAction;
  actor: string;
  reason: string | null;
  fromWeight: number;
  toWeight: number;
  toStepIndex: number;
  fromPhase: RolloutPhase;
  toPhase: RolloutPhase;
  startedAt: string;
  /** Unique per attempt: a rollback replaces it, and the preempted work notices. */
  token: string;
  /**
   * Set once the action took effect and its event is written; what remains is cleanup (scaling
   * the canary down), which a restart finishes without recording the action again.
   */
  recorded?: boolean;
  details?: Record<string, unknown>;
  /** Kept with the operation so its audit record is written with its event, after a restart too. */
  audit?: AuditContext & { before: Record<string, unknown> };
}

export interface StoredRollout extends Omit<Rollout, 'operation'> {
  operation: PendingOperation | null;
}

export type NewEvent = Omit<RolloutEvent, 'id' | 'rolloutId'>;

export interface RolloutFilter {
  namespace?: string;
  service?: string;
  phase?: RolloutPhase;
  active?: boolean;
}

/** What a write stored: the rollout as it now is, and the events with their ids. */
export interface Written {
  rollout: StoredRollout;
  events: RolloutEvent[];
}

export type RolloutChanges = Partial<
  Pick<StoredRollout, 'phase' | 'weight' | 'stepIndex' | 'operation' | 'updatedAt'>
>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * SQLite holds history. Every write is one transaction: the rollout's new state and the events
 * that explain it land together or not at all.
 */
export interface HistoryStore {
  get(id: string): StoredRollout | null;
  findActive(namespace: string, service: string): StoredRollout | null;
  listActive(): StoredRollout[];
  /** Rollouts with an operation under way, in any phase. */
  listPending(): StoredRollout[];
  list(filter: RolloutFilter, limit: number, cursor?: string): Page<StoredRollout>;
  events(rolloutId: string, limit: number, afterId?: number): RolloutEvent[];
  /**
   * Insert a rollout with its first events (and `audit`, in the same transaction); throws
   * DomainError `active-rollout-exists` when the target has one.
   */
  create(rollout: StoredRollout, events: NewEvent[], audit?: NewAuditRecord): Written;
  /**
   * Compare-and-set on `version`: apply `changes`, bump the version and append `events` (and
   * `audit`, in the same transaction), or return null (and write nothing) when the stored
   * version is no longer `expectedVersion`.
   */
  update(
    id: string,
    expectedVersion: number,
    changes: RolloutChanges,
    events: NewEvent[],
    audit?: NewAuditRecord,
  ): Written | null;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The latest gate verdict for a rollout at its current weight, as the guard last evaluated it;
 * null when the current step has not been evaluated yet.
 */
export interface GateKeeper {
  current(rollout: StoredRollout): GateResult | null;
}

/** Metric profiles stored with their targets. */
export interface ProfileStore {
  get(namespace: string, service: string): TargetProfile | null;
  put(profile: TargetProfile): TargetProfile;
}

/** Chart samples kept while a rollout runs, so its charts replay after Prometheus forgot. */
export interface MetricPointStore {
  append(rolloutId: string, points: MetricPoint[]): void;
  /** Points with from ≤ at ≤ to, oldest first. */
  range(rolloutId: string, from: string, to: string): MetricPoint[];
}
