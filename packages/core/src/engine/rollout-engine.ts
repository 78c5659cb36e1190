import type {
  ActionRequest,
  AllowedAction,
  Rollout,
  StartRolloutRequest,
  TargetRef,
} from '@aviary/contracts';
import { defaultSteps } from '@aviary/contracts';
import { type AllowedActionsInput, allowedActions } from '../allowed-actions.ts';
import { DomainError } from '../errors.ts';
import { planAction, stepIndexFor } from '../plan-action.ts';
import {
  type AuditContext,
  type Clock,
  type GateKeeper,
  type HistoryStore,
  type PendingOperation,
  type StoredRollout,
  type TrafficRouter,
  type TrafficSplit,
  type Workloads,
  type Written,
  systemClock,
} from '../ports.ts';
import { actionAudit, auditedState, newEvent } from './events.ts';
import { gateRule } from './gate-rule.ts';
import { KeyedLock } from './keyed-lock.ts';
import { type HistoryWrite, actionTaken, operationFailed } from './operation-writes.ts';
import { procedures } from './operations.ts';

export interface EngineDeps {
  history: HistoryStore;
  router: TrafficRouter;
  workloads: Workloads;
  clock?: Clock;
  newId?: () => string;
  /** Every stored change, for the live stream. */
  onWrite?: (written: Written) => void;
  /** How long an action request waits for its cluster work before answering with the rollout as it is. */
  actionWaitMs?: number;
  /** The gate that stepping up and promoting must pass; without one, actions are not gated. */
  gates?: GateKeeper;
}

class Preempted extends Error {}

export interface ActOptions {
  /** Recorded in the action's event, e.g. who requested and who approved it. */
  details?: Record<string, unknown>;
  /** Who acted and from where: the action's audit record is written with its event. */
  audit?: AuditContext;
  /**
   * The rollout as the caller read it in this same turn of the event loop, to plan on without
   * reading it again. Should it be stale all the same, the version check refuses the write and
   * the action is planned again on a fresh read.
   */
  current?: StoredRollout;
}

/** The rollout as the API shows it: the pending operation reduced to its name. */
export function toContract(r: StoredRollout): Rollout {
  return { ...r, operation: r.operation?.type ?? null };
}

/**
 * The rollout use-cases: start a canary, act on it, notice drift, and finish what a crash
 * interrupted. The cluster holds the current traffic; the history store holds what happened.
 * An operation's intent is stored with the rollout before the cluster is touched, and its event
 * is written only once the cluster did it, in the same transaction as the new state.
 */
export class RolloutEngine {
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly writes = new KeyedLock();
  private readonly running = new Map<string, Promise<StoredRollout>>();

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  }

  get(id: string): StoredRollout {
    const r = this.deps.history.get(id);
    if (!r)
      throw new DomainError('rollout-not-found', `no rollout with id ${id}; list them at /api/v1/rollouts`);
    return r;
  }

  /** Accept a new rollout, then create the canary and set the first step in the background. */
  async start(
    req: StartRolloutRequest & { router: TargetRef['router'] },
    actor: string,
    opts: { audit?: AuditContext } = {},
  ): Promise<StoredRollout> {
    const target: TargetRef = { namespace: req.namespace, service: req.service, router: req.router };
    const steps = req.steps ?? [...defaultSteps];
    if ((steps[0] ?? 0) >= 100)
      throw new DomainError(
        'invalid-request',
        'the first step must be below 100: a rollout reaches 100% only by stepping or promoting, under the target’s guardrails',
        { field: 'steps.0' },
      );
    const existing = this.deps.history.findActive(target.namespace, target.service);
    if (existing) {
      throw new DomainError(
        'active-rollout-exists',
        `${target.service} in ${target.namespace} already has an active rollout ${existing.id}; promote or roll it back first`,
        { rolloutId: existing.id },
      );
    }
    const [stable, weights] = await Promise.all([
      this.deps.workloads.stable(target),
      this.deps.router.getWeights(target),
      // Refused before anything is stored: a canary Deployment Aviary did not create stays as it is.
      this.deps.workloads.assertCanaryManaged(target),
    ]);
    const now = this.now();
    const op: PendingOperation = {
      type: 'start',
      action: 'step',
      actor,
      reason: req.reason ?? null,
      fromWeight: weights.canary,
      toWeight: steps[0]!,
      toStepIndex: 0,
      fromPhase: 'starting',
      toPhase: 'progressing',
      startedAt: now,
      token: this.newId(),
    };
    const rollout: StoredRollout = {
      id: this.newId(),
      target,
      stableImage: stable.image,
      canaryImage: req.image,
      phase: 'starting',
      weight: weights.canary,
      stepIndex: -1,
      steps,
      version: 1,
      operation: op,
      reason: req.reason ?? null,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    };
    const audit = opts.audit;
    const created = this.deps.history.create(
      rollout,
      [
        newEvent(now, {
          actor,
          action: 'created',
          to: rollout,
          reason: req.reason ?? null,
          details: { image: req.image, steps },
        }),
      ],
      audit && {
        at: now,
        actor: audit.actor,
        role: audit.role,
        sourceAddress: audit.sourceAddress,
        action: 'rollout-started',
        subject: `rollout/${rollout.id}`,
        before: null,
        after: { ...auditedState(rollout), target, ...audit.context },
        reason: req.reason ?? null,
      },
    );
    this.deps.onWrite?.(created);
    void this.launch(created.rollout, op);
    return created.rollout;
  }

  /**
   * Run one action. Answers once the cluster did it, or after `actionWaitMs` with the rollout
   * mid-operation (the work goes on and the stream reports its end). With `opts.audit`, the
   * action's audit record is written in the same transaction as its event, once it took effect.
   */
  async act(id: string, action: ActionRequest, actor: string, opts: ActOptions = {}): Promise<StoredRollout> {
    const { details: extraDetails, audit } = opts;
    for (let attempt = 0; ; attempt++) {
      const current = attempt === 0 && opts.current?.id === id ? opts.current : this.get(id);
      const plan = planAction(toContract(current), action);
      const gate = this.checkGate(current, plan.event, plan.toWeight, action);
      const details = gate || extraDetails ? { ...gate, ...extraDetails } : undefined;
      const now = this.now();
      const audited = audit && { ...audit, before: auditedState(current) };
      if (!plan.operation) {
        const after = { ...current, phase: plan.toPhase, updatedAt: now, version: current.version + 1 };
        const written = this.write(current, {
          changes: { phase: plan.toPhase, updatedAt: now },
          events: [
            newEvent(now, {
              actor,
              action: plan.event,
              from: current,
              to: after,
              reason: action.reason ?? null,
              details: extraDetails ?? null,
            }),
          ],
          audit: audited && actionAudit(now, audited, after, action.reason ?? null),
        });
        if (written) return written.rollout;
      } else {
        const op: PendingOperation = {
          type: plan.operation,
          action: plan.event,
          actor,
          reason: action.reason ?? null,
          fromWeight: current.weight,
          toWeight: plan.toWeight,
          toStepIndex: plan.toStepIndex,
          fromPhase: current.operation?.fromPhase ?? current.phase,
          toPhase: plan.toPhase,
          startedAt: now,
          token: this.newId(),
          details,
          ...(audited ? { audit: audited } : {}),
        };
        const claimed = this.write(current, {
          changes: { operation: op, phase: plan.duringPhase, updatedAt: now },
          events: [],
        });
        if (claimed) return this.await(id, this.launch(claimed.rollout, op).answered);
      }
      // Someone else changed the rollout between our read and our write.
      if (action.expectedVersion !== undefined || attempt >= 5) {
        const latest = this.get(id);
        throw new DomainError(
          'version-conflict',
          `rollout ${id} changed while acting (now version ${latest.version}); reload it and decide again`,
          {
            currentVersion: latest.version,
          },
        );
      }
    }
  }

  /**
   * Would `act` accept this action now? Runs the same checks (the plan and the gate) without
   * changing anything; throws the same DomainError `act` would.
   */
  check(id: string, action: ActionRequest): void {
    const current = this.get(id);
    const plan = planAction(toContract(current), action);
    this.checkGate(current, plan.event, plan.toWeight, action);
  }

  /** Each action's verdict for this rollout now, by the rules `act` applies (see allowed-actions.ts). */
  allowedActions(id: string, input: Omit<AllowedActionsInput, 'gate' | 'gated'>): AllowedAction[] {
    const rollout = this.get(id);
    const gates = this.deps.gates;
    return allowedActions(rollout, { ...input, gate: gates ? gates.current(rollout) : null, gated: !!gates });
  }

  private checkGate(r: StoredRollout, event: string, toWeight: number, action: ActionRequest) {
    return this.deps.gates ? gateRule(this.deps.gates.current(r), r, event, toWeight, action) : undefined;
  }

  /**
   * The router object changed in the cluster. If the weight is not what Aviary set and no
   * operation of ours is under way, someone else moved it: show the real weight, record drift.
   */
  observe(target: Pick<TargetRef, 'namespace' | 'service'>, weights: TrafficSplit): void {
    const r = this.deps.history.findActive(target.namespace, target.service);
    if (!r || r.operation || r.phase === 'starting' || r.weight === weights.canary) return;
    const at = this.now();
    const changes = {
      weight: weights.canary,
      stepIndex: stepIndexFor(r.steps, weights.canary),
      updatedAt: at,
    };
    const reason = `the ${target.service} router was changed outside Aviary`;
    this.write(r, {
      changes,
      // Audited as the cluster's doing, with the split Aviary expected and the one it found.
      audit: {
        at,
        actor: 'cluster',
        role: null,
        sourceAddress: null,
        action: 'drift-detected',
        subject: `rollout/${r.id}`,
        before: auditedState(r),
        after: { ...auditedState({ ...r, ...changes, version: r.version + 1 }), traffic: weights },
        reason,
      },
      events: [
        newEvent(at, {
          actor: 'cluster',
          action: 'drift-detected',
          from: r,
          to: { ...r, weight: weights.canary },
          reason,
          details: { expected: { stable: 100 - r.weight, canary: r.weight }, actual: weights },
        }),
      ],
    });
  }

  /** After a restart: finish interrupted operations and reconcile weights with the cluster. */
  async recover(): Promise<void> {
    for (const r of this.deps.history.listPending()) void this.launch(r, r.operation!);
    for (const r of this.deps.history.listActive()) {
      if (r.operation) continue;
      try {
        this.observe(r.target, await this.deps.router.getWeights(r.target));
      } catch {
        // The cluster is unreachable; the watch reconciles once it answers.
      }
    }
  }

  /** Resolves when no operation is running (shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Run an operation in the background. `answered` settles when the request can be answered:
   * once the action took effect (before cleanup), or when the operation ends.
   */
  private launch(
    rollout: StoredRollout,
    op: PendingOperation,
  ): { done: Promise<StoredRollout>; answered: Promise<StoredRollout> } {
    let answer!: (r: StoredRollout) => void;
    const answered = new Promise<StoredRollout>((resolve) => {
      answer = resolve;
    });
    const done = this.execute(rollout, op, answer).finally(() => {
      if (this.running.get(op.token) === done) this.running.delete(op.token);
    });
    this.running.set(op.token, done);
    const settled = Promise.race([answered, done]);
    // Failures are recorded in history; a caller that awaits still sees them.
    done.catch(() => undefined);
    settled.catch(() => undefined);
    return { done, answered: settled };
  }

  private async execute(
    rollout: StoredRollout,
    op: PendingOperation,
    answer: (r: StoredRollout) => void,
  ): Promise<StoredRollout> {
    const key = `${rollout.target.namespace}/${rollout.target.service}`;
    const owns = () => this.deps.history.get(rollout.id)?.operation?.token === op.token;
    const guard = (write: () => Promise<void>) =>
      this.writes.run(key, async () => {
        if (!owns()) throw new Preempted();
        await write();
      });
    const taken = async () => {
      if (!op.recorded) answer(this.record(rollout.id, op, false, rollout));
      op.recorded = true;
      // Cleanup waits for the next turn of the event loop, so the answer goes out first.
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    try {
      await procedures[op.type]({
        rollout,
        op,
        router: this.deps.router,
        workloads: this.deps.workloads,
        guard,
        taken,
      });
      return op.recorded ? this.clearOperation(rollout.id, op) : this.record(rollout.id, op, true, rollout);
    } catch (err) {
      if (err instanceof Preempted) {
        throw new DomainError(
          'rollout-busy',
          `a rollback of rollout ${rollout.id} took over before this ${op.action} reached the cluster`,
        );
      }
      return this.fail(rollout.id, op, err as Error);
    }
  }

  /**
   * The action took effect: new state and its event in one write; the operation stays while
   * cleanup runs. `known` is the rollout as the operation claimed it: nothing else writes a
   * rollout with an operation under way but a rollback taking over, so the first try needs no
   * read (the version check still catches any writer, and then the rollout is read again).
   */
  private record(id: string, op: PendingOperation, final: boolean, known: StoredRollout): StoredRollout {
    for (let r = known; ; r = this.get(id)) {
      if (r.operation?.token !== op.token) throw new Preempted();
      const written = this.write(r, actionTaken(r, op, final, this.now()));
      if (written) return written.rollout;
    }
  }

  private clearOperation(id: string, op: PendingOperation): StoredRollout {
    for (;;) {
      const r = this.get(id);
      if (r.operation?.token !== op.token) return r;
      const written = this.write(r, { changes: { operation: null, updatedAt: this.now() }, events: [] });
      if (written) return written.rollout;
    }
  }

  /** Record a failed operation with where traffic really is, and say so to the caller. */
  private async fail(id: string, op: PendingOperation, error: Error): Promise<StoredRollout> {
    const actual = await this.deps.router.getWeights(this.get(id).target).catch(() => undefined);
    for (;;) {
      const r = this.get(id);
      if (r.operation?.token !== op.token)
        throw new DomainError('rollout-busy', `rollout ${id} was taken over by another action`);
      const written = this.write(r, operationFailed(r, op, error, actual, this.now()));
      if (!written) continue;
      if (op.recorded) return written.rollout;
      const where = actual
        ? `traffic is now ${actual.stable}% stable / ${actual.canary}% canary`
        : 'the current traffic split could not be read';
      throw new DomainError(
        error instanceof DomainError ? error.code : 'cluster-unavailable',
        `${op.action} of rollout ${id} failed: ${error.message}; ${where}. Retry, or roll back.`,
        { traffic: actual ?? null },
      );
    }
  }

  private async await(id: string, work: Promise<StoredRollout>): Promise<StoredRollout> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.deps.actionWaitMs ?? 15_000);
    });
    try {
      const done = await Promise.race([work, timeout]);
      return done === 'timeout' ? this.get(id) : done;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Compare-and-set on `r`'s version; null when someone else wrote first. */
  private write(r: StoredRollout, { changes, events, audit }: HistoryWrite): Written | null {
    const written = this.deps.history.update(r.id, r.version, changes, events, audit);
    if (written) this.deps.onWrite?.(written);
    return written;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
