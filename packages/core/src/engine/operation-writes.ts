import { stepIndexFor } from '../plan-action.ts';
import type {
  NewAuditRecord,
  NewEvent,
  PendingOperation,
  RolloutChanges,
  StoredRollout,
  TrafficSplit,
} from '../ports.ts';
import { actionAudit, auditedState, newEvent } from './events.ts';

/** One write of the history store: the rollout's changes, the events that explain them, the audit. */
export interface HistoryWrite {
  changes: RolloutChanges;
  events: NewEvent[];
  audit?: NewAuditRecord;
}

/**
 * What stays of an operation once its action is recorded: enough to finish cleanup after a
 * restart. Its evidence (the gate, the audit context) is in the event and the audit record now.
 */
function cleanupOf({ details: _details, audit: _audit, ...op }: PendingOperation): PendingOperation {
  return { ...op, recorded: true };
}

/**
 * The operation's action took effect on `r`: its new state, its event (after `canary-ready` for
 * a start) and its audit record. Unless `final`, the operation stays while cleanup runs.
 */
export function actionTaken(
  r: StoredRollout,
  op: PendingOperation,
  final: boolean,
  at: string,
): HistoryWrite {
  const changes = {
    operation: final ? null : cleanupOf(op),
    phase: op.toPhase,
    weight: op.toWeight,
    stepIndex: op.toStepIndex,
    updatedAt: at,
  };
  const ready =
    op.type === 'start'
      ? [
          newEvent(at, {
            actor: op.actor,
            action: 'canary-ready',
            from: r,
            to: r,
            reason: null,
            details: { image: r.canaryImage },
          }),
        ]
      : [];
  return {
    changes,
    events: [
      ...ready,
      newEvent(at, {
        actor: op.actor,
        action: op.action,
        from: { ...r, weight: op.fromWeight, phase: op.fromPhase },
        to: { ...r, weight: op.toWeight, phase: op.toPhase },
        reason: op.reason,
        details: op.details ?? null,
      }),
    ],
    audit: op.audit && actionAudit(at, op.audit, { ...r, ...changes, version: r.version + 1 }, op.reason),
  };
}

/**
 * The operation failed on `r` with `error`; `actual` is where traffic really is, if it could be
 * read. Before the action took effect the rollout goes back to where traffic is; after it (only
 * cleanup failed) the phase stands and the failure is noted.
 */
export function operationFailed(
  r: StoredRollout,
  op: PendingOperation,
  error: Error,
  actual: TrafficSplit | undefined,
  at: string,
): HistoryWrite {
  const weight = op.recorded ? r.weight : (actual?.canary ?? r.weight);
  const phase = op.recorded ? r.phase : op.type === 'promote' ? 'progressing' : op.fromPhase;
  const changes = { operation: null, phase, weight, stepIndex: stepIndexFor(r.steps, weight), updatedAt: at };
  const failure = {
    attempted: op.action,
    stage: op.recorded ? 'cleanup' : 'action',
    toWeight: op.toWeight,
    error: error.message,
    traffic: actual ?? 'unknown',
  };
  return {
    changes,
    // A failure changes state too (e.g. a promotion that moved stable's image, then timed out):
    // audited in the same write as its event, in the name of whoever started the operation.
    audit: {
      at,
      actor: op.audit?.actor ?? op.actor,
      role: op.audit?.role ?? null,
      sourceAddress: op.audit?.sourceAddress ?? null,
      action: 'operation-failed',
      subject: `rollout/${r.id}`,
      before: auditedState(r),
      after: { ...auditedState({ ...r, ...changes, version: r.version + 1 }), ...failure },
      reason: op.reason,
    },
    events: [
      newEvent(at, {
        actor: op.actor,
        action: 'operation-failed',
        from: r,
        to: { ...r, weight, phase },
        reason: op.reason,
        details: failure,
      }),
    ],
  };
}
