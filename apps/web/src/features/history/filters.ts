import type { Rollout, RolloutPhase } from '@aviary/contracts';

export interface HistoryFilter {
  /** `namespace/service`, or '' for all. */
  target: string;
  phase: RolloutPhase | '';
  /** yyyy-mm-dd (inclusive, UTC), or ''. */
  from: string;
  to: string;
  /** Part of who started it, case-insensitive. */
  actor: string;
}

export const emptyFilter: HistoryFilter = { target: '', phase: '', from: '', to: '', actor: '' };

export const targetKey = (r: Rollout) => `${r.target.namespace}/${r.target.service}`;

export function filterRollouts(rollouts: readonly Rollout[], f: HistoryFilter): Rollout[] {
  const actor = f.actor.trim().toLowerCase();
  const from = f.from ? Date.parse(`${f.from}T00:00:00.000Z`) : Number.NEGATIVE_INFINITY;
  const to = f.to ? Date.parse(`${f.to}T23:59:59.999Z`) : Number.POSITIVE_INFINITY;
  return rollouts.filter((r) => {
    if (f.target && targetKey(r) !== f.target) return false;
    if (f.phase && r.phase !== f.phase) return false;
    if (actor && !r.createdBy.toLowerCase().includes(actor)) return false;
    const created = Date.parse(r.createdAt);
    // A rollout belongs to a day range if it ran during it.
    return created <= to && Date.parse(r.updatedAt) >= from;
  });
}

export function distinctTargets(rollouts: readonly Rollout[]): string[] {
  return [...new Set(rollouts.map(targetKey))].sort();
}
