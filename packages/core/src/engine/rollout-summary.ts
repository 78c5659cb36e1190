import type { RolloutEnding, RolloutEvent } from '@aviary/contracts';
import { finalPhases } from '@aviary/contracts';
import type { StoredRollout } from '../ports.ts';

/** What a rollout's history says at a glance: the highest weight it reached and how it ended. */
export function rolloutSummary(
  rollout: StoredRollout,
  events: readonly RolloutEvent[],
): { peakWeight: number; ended: RolloutEnding | null } {
  let peakWeight = rollout.weight;
  for (const e of events) peakWeight = Math.max(peakWeight, e.toWeight ?? 0, e.fromWeight ?? 0);
  const end = finalPhases.includes(rollout.phase)
    ? [...events].reverse().find((e) => e.toPhase !== null && finalPhases.includes(e.toPhase))
    : undefined;
  return {
    // A promotion ends with all traffic on the new version: it reached 100% by definition.
    peakWeight: rollout.phase === 'promoted' ? 100 : peakWeight,
    ended: end ? { at: end.at, actor: end.actor, action: end.action, reason: end.reason } : null,
  };
}
