import type { NewEvent, StoredRollout } from '../ports.ts';

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
