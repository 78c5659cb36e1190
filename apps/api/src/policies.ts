import {
  type ActionRequest,
  type Approval,
  type FreezeWindow,
  type StreamMessage,
  type TargetPolicy,
  type TargetPolicyView,
  defaultPromotionThreshold,
} from '@aviary/contracts';
import {
  type Allowlists,
  type AuditContext,
  DomainError,
  assertImageAllowed,
  assertNamespaceAllowed,
  type RolloutEngine,
  type Screening,
  type StoredRollout,
  formatLocal,
  frozenAt,
  isDomainError,
  isPromotion,
  raisesTo,
  startIsPromotion,
} from '@aviary/core';
import type { ApprovalFilter, ApprovalsRepo, PoliciesRepo, StoredApproval, UsersRepo } from '@aviary/db';
import type { Principal } from './auth/principal.ts';
import { type Operator, operatorOf, samePerson } from './identity.ts';

export const defaultPolicy = (): TargetPolicy => ({
  requireApproval: false,
  freezeWindows: [],
  promotionThreshold: defaultPromotionThreshold,
});

export interface GuardrailDeps {
  policies: PoliciesRepo;
  approvals: ApprovalsRepo;
  engine: RolloutEngine;
  publish: (message: StreamMessage) => void;
  /** A pending approval withdrawn because its rollout is being rolled back (for the audit trail). */
  onAutoWithdraw?: (approval: Approval, reason: string) => void;
  log: { error(obj: unknown, msg: string): void };
  /** Local users: who is the same person as whom (identity.ts). */
  users: Pick<UsersRepo, 'byId' | 'byName'>;
  /** How long a request waits for its approval before it expires (AVIARY_APPROVAL_TTL_HOURS). */
  approvalTtlMs?: number;
  /** AVIARY_ALLOWED_NAMESPACES and AVIARY_ALLOWED_REGISTRIES; none: anywhere. */
  allow?: Allowlists;
  now?: () => Date;
  newId?: () => string;
}

/** An approval as the API shows it: without the requester's id. */
const shown = ({ requestedById: _, ...approval }: StoredApproval): Approval => approval;

const describeWindow = (w: FreezeWindow) =>
  `${w.start.day} ${w.start.time} – ${w.end.day} ${w.end.time} ${w.timezone}`;

/**
 * Per-target guardrails on promotion (issue 6): change-freeze windows, and the two-person rule
 * (a promotion waits for a second operator's approval). Rollback is never frozen nor held.
 */
export class Guardrails {
  private readonly now: () => Date;
  private readonly newId: () => string;
  /** Approvals being executed by this process: a second approve of the same one waits its turn. */
  private readonly approving = new Set<string>();

  constructor(private readonly deps: GuardrailDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  }

  /** The stored policy over the defaults: a policy saved before a setting existed gets its default. */
  /** Who a request acts as, for the two-person rule. */
  operator(principal: Principal | null): Operator {
    return operatorOf(principal, this.deps.users);
  }

  policyOf(namespace: string, service: string): TargetPolicy {
    return { ...defaultPolicy(), ...this.deps.policies.get(namespace, service)?.policy };
  }

  view(namespace: string, service: string): TargetPolicyView {
    const stored = this.deps.policies.get(namespace, service);
    const policy = { ...defaultPolicy(), ...stored?.policy };
    return {
      namespace,
      service,
      ...policy,
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
      frozen: frozenAt(policy.freezeWindows, this.now()),
    };
  }

  put(namespace: string, service: string, policy: TargetPolicy, actor: string): TargetPolicyView {
    policy.freezeWindows.forEach((w, i) => {
      if (w.start.day === w.end.day && w.start.time === w.end.time)
        throw new DomainError(
          'invalid-request',
          `freezeWindows.${i}: the window ends when it starts (${w.start.day} ${w.start.time}); give it an end at another day or time`,
          { field: `freezeWindows.${i}.end` },
        );
    });
    this.deps.policies.put({
      namespace,
      service,
      policy: {
        requireApproval: policy.requireApproval,
        freezeWindows: policy.freezeWindows,
        promotionThreshold: policy.promotionThreshold,
      },
      updatedAt: this.now().toISOString(),
      updatedBy: actor,
    });
    return this.view(namespace, service);
  }

  /** A promotion during a freeze window is refused; anything else (rollback above all) goes. */
  assertNotFrozen(rollout: StoredRollout, action: ActionRequest): void {
    // Only a move up can be a promotion: nothing else needs the policy read.
    if (raisesTo(rollout, action) === null) return;
    const { namespace, service } = rollout.target;
    const policy = this.policyOf(namespace, service);
    if (isPromotion(rollout, action, policy)) this.refuseIfFrozen(namespace, service, policy, 'promotion');
  }

  /**
   * Before a rollout starts: a freeze window refuses any start, and under the two-person rule a
   * first step at or above the promotion threshold is refused (a start cannot wait for
   * approval; start lower and step up, which the rule then holds for a second operator).
   */
  admitStart(namespace: string, service: string, image: string, steps: readonly number[]): void {
    this.assertNamespaceAllowed(namespace);
    if (this.deps.allow) assertImageAllowed(this.deps.allow, image);
    const policy = this.policyOf(namespace, service);
    this.refuseIfFrozen(namespace, service, policy, 'starting a rollout');
    if (policy.requireApproval && startIsPromotion(steps, policy))
      throw new DomainError(
        'approval-required',
        `the first step (${steps[0]}%) is at or above the promotion threshold of ${namespace}/${service} (${policy.promotionThreshold}%), which needs a second operator's approval; start below ${policy.promotionThreshold}% and step up, and a second operator approves the step`,
        { field: 'steps.0', promotionThreshold: policy.promotionThreshold },
      );
  }

  /** Refuses (403) a namespace outside AVIARY_ALLOWED_NAMESPACES: starts, policy and profile edits. */
  assertNamespaceAllowed(namespace: string): void {
    if (this.deps.allow) assertNamespaceAllowed(this.deps.allow, namespace);
  }

  private refuseIfFrozen(namespace: string, service: string, policy: TargetPolicy, what: string): void {
    const frozen = frozenAt(policy.freezeWindows, this.now());
    if (!frozen) return;
    const why = frozen.window.reason || `freeze window ${describeWindow(frozen.window)}`;
    throw new DomainError(
      'change-frozen',
      `${what} of ${namespace}/${service} is frozen until ${formatLocal(frozen.until, frozen.window.timezone)} (${why}); roll back is always allowed`,
      { until: frozen.until, window: frozen.window },
    );
  }

  /**
   * Before an action runs: refuses a promotion in a freeze window; under the two-person rule,
   * checks the action as the engine would (plan and gate: an approval cannot launder a failing
   * gate) and stores it as a pending approval, which it returns. Null: go ahead.
   */
  admit(rollout: StoredRollout, action: ActionRequest, who: Operator): Approval | null {
    const { refusal, needsApproval } = this.screen(rollout, action);
    if (refusal) throw refusal;
    if (!needsApproval) return null;
    const { namespace, service } = rollout.target;
    const now = this.now();
    this.deps.engine.check(rollout.id, action);
    const approval = shown(
      this.deps.approvals.create({
        id: this.newId(),
        rolloutId: rollout.id,
        namespace,
        service,
        action,
        requestedBy: who.name,
        requestedById: who.id,
        requestedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + (this.deps.approvalTtlMs ?? 24 * 3_600_000)).toISOString(),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
      }),
    );
    this.deps.publish({ type: 'approval', approval });
    return approval;
  }

  /**
   * What the guardrails say about an action before the engine sees it: a refusal (a freeze
   * window, an approval already pending) and whether it would wait for a second operator.
   * `admit` acts on this, and the allowed-actions answer shows it.
   */
  screen(rollout: StoredRollout, action: ActionRequest): Screening {
    const go: Screening = { refusal: null, needsApproval: false };
    // Only a move up is ever frozen or held; anything else (a rollback above all) goes at once.
    if (raisesTo(rollout, action) === null) return go;
    const { namespace, service } = rollout.target;
    const policy = this.policyOf(namespace, service);
    if (!isPromotion(rollout, action, policy)) return go;
    try {
      this.refuseIfFrozen(namespace, service, policy, 'promotion');
    } catch (err) {
      if (isDomainError(err)) return { refusal: err, needsApproval: false };
      throw err;
    }
    if (!policy.requireApproval) return go;
    this.deps.approvals.expireDue(this.now().toISOString());
    const existing = this.deps.approvals.pendingFor(rollout.id);
    return { refusal: existing ? this.alreadyPending(existing) : null, needsApproval: true };
  }

  list(filter: ApprovalFilter, limit: number): Approval[] {
    this.deps.approvals.expireDue(this.now().toISOString());
    return this.deps.approvals.list(filter, limit).map(shown);
  }

  get(id: string): Approval {
    return shown(this.stored(id));
  }

  private stored(id: string): StoredApproval {
    const approval = this.deps.approvals.get(id);
    if (!approval)
      throw new DomainError(
        'approval-not-found',
        `no approval with id ${id}; list them at /api/v1/approvals`,
      );
    return approval;
  }

  /**
   * A second operator approves: the stored action runs through the engine as the approver, with
   * the gate as it is now (an approval that the gate no longer allows stays pending).
   */
  async approve(
    id: string,
    who: Operator,
    audit?: AuditContext,
  ): Promise<{ approval: Approval; rollout: StoredRollout }> {
    const pending = this.pending(id);
    const actor = who.name;
    const same = samePerson(pending.requestedById, who, this.deps.users);
    if (same)
      throw new DomainError(
        'approval-self',
        `${pending.requestedBy} requested this ${pending.action.type} and ${same}; a second operator must approve it (or withdraw it)`,
        { requestedBy: pending.requestedBy },
      );
    if (this.approving.has(id))
      throw new DomainError(
        'approval-not-pending',
        `approval ${id} is being approved by someone else right now; reload it in a moment`,
      );
    this.approving.add(id);
    try {
      const before = this.deps.engine.get(pending.rolloutId);
      this.assertNotFrozen(before, pending.action);
      const rollout = await this.deps.engine.act(pending.rolloutId, pending.action, actor, {
        details: { approvedBy: actor, requestedBy: pending.requestedBy, approvalId: pending.id },
        audit: audit && {
          ...audit,
          context: {
            ...audit.context,
            request: pending.action,
            approvalId: pending.id,
            requestedBy: pending.requestedBy,
          },
        },
        current: before,
      });
      const decided = this.deps.approvals.decide(id, 'approved', actor, this.now().toISOString());
      const approval = decided ? shown(decided) : this.get(id);
      this.deps.publish({ type: 'approval', approval });
      return { approval, rollout };
    } finally {
      this.approving.delete(id);
    }
  }

  /** The requester (or an admin) takes the request back. */
  withdraw(id: string, who: Operator, isAdmin: boolean): Approval {
    const pending = this.pending(id);
    const actor = who.name;
    const requester = pending.requestedById.startsWith('name:')
      ? pending.requestedBy === who.name
      : pending.requestedById === who.id;
    if (!requester && !isAdmin)
      throw new DomainError(
        'forbidden',
        `only ${pending.requestedBy}, who requested it, or an admin can withdraw approval ${id}; ask them`,
      );
    return this.decideWithdrawn(pending, actor);
  }

  /**
   * Every stored rollout change: a rollback (by a person or the guard) withdraws the rollout's
   * pending approval, since there is nothing left to promote.
   */
  onRolloutWritten(rollout: StoredRollout): void {
    // Once, when a rollback is accepted: from then on no promotion can be planned on the rollout.
    if (rollout.operation?.type !== 'rollback' || rollout.operation.recorded) return;
    try {
      const pending = this.deps.approvals.pendingFor(rollout.id);
      if (!pending) return;
      const by = rollout.operation?.actor ?? 'aviary';
      const approval = this.decideWithdrawn(pending, by);
      this.deps.onAutoWithdraw?.(approval, `rollout ${rollout.id} was rolled back`);
    } catch (err) {
      this.deps.log.error({ err, rolloutId: rollout.id }, 'could not withdraw the pending approval');
    }
  }

  private decideWithdrawn(pending: Approval, actor: string): Approval {
    const decided = this.deps.approvals.decide(pending.id, 'withdrawn', actor, this.now().toISOString());
    if (!decided) throw this.notPending(this.get(pending.id));
    const approval = shown(decided);
    this.deps.publish({ type: 'approval', approval });
    return approval;
  }

  /** A pending approval; one whose time ran out is marked expired and refused. */
  private pending(id: string): StoredApproval {
    const approval = this.stored(id);
    if (approval.status === 'pending' && approval.expiresAt <= this.now().toISOString()) {
      const expired = this.deps.approvals.decide(id, 'expired', 'aviary', approval.expiresAt);
      if (expired) this.deps.publish({ type: 'approval', approval: shown(expired) });
      throw new DomainError(
        'approval-expired',
        `approval ${id} expired at ${approval.expiresAt} without a second operator; request the ${approval.action.type} again if it is still wanted`,
        { status: 'expired', expiresAt: approval.expiresAt },
      );
    }
    if (approval.status !== 'pending') throw this.notPending(approval);
    return approval;
  }

  private notPending(a: Approval): DomainError {
    return new DomainError(
      'approval-not-pending',
      `approval ${a.id} was already ${a.status} by ${a.decidedBy ?? 'someone'}; request the action again if it is still wanted`,
      { status: a.status },
    );
  }

  private alreadyPending(a: Approval): DomainError {
    return new DomainError(
      'approval-pending',
      `rollout ${a.rolloutId} already has a pending approval ${a.id} (${a.action.type} requested by ${a.requestedBy}); approve or withdraw it first`,
      { approvalId: a.id },
    );
  }
}
