import type { AuditContext, NewAuditRecord, NewEvent, StoredRollout } from '../ports.ts';

export interface EventFacts {
  actor: string;
  action: NewEvent['action'];
  from?: Pick<StoredRollout, 'weight' | 'phase'>;
  to: Pick<StoredRollout, 'weight' | 'phase'>;
  reason: string | null;
  details?: Record<string, unknown> | null;
}

/** A history event at `at`, from the rollout states before and after it. */
export function newEvent(at: string, e: EventFacts): NewEvent {
  return {
    at,
    actor: e.actor,
    action: e.action,
    fromWeight: e.from?.weight ?? null,
    toWeight: e.to.weight,
    fromPhase: e.from?.phase ?? null,
    toPhase: e.to.phase,
    reason: e.reason,
    details: e.details ?? null,
  };
}

/** What the audit keeps of a rollout before and after an action. */
export const auditedState = (r: StoredRollout): Record<string, unknown> => ({
  phase: r.phase,
  weight: r.weight,
  stepIndex: r.stepIndex,
  version: r.version,
  canaryImage: r.canaryImage,
  operation: r.operation?.type ?? null,
});

/** The audit record of an action on rollout `after.id`, written with its event. */
export function actionAudit(
  at: string,
  audit: AuditContext & { before: Record<string, unknown> },
  after: StoredRollout,
  reason: string | null,
): NewAuditRecord {
  return {
    at,
    actor: audit.actor,
    role: audit.role,
    sourceAddress: audit.sourceAddress,
    action: 'rollout-action',
    subject: `rollout/${after.id}`,
    before: audit.before,
    after: { ...auditedState(after), ...audit.context },
    reason,
  };
}
