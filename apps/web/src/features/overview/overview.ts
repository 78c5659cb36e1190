import { type Approval, type Rollout, type Verdict, finalPhases } from '@aviary/contracts';

export interface OverviewItem {
  rollout: Rollout;
  verdict: Verdict | null;
  /** Progressing or paused with nothing under way: a person has to decide. */
  waiting: boolean;
  /** A request waiting for a second operator's approval (two-person rule), if any. */
  approval: Approval | null;
}

const verdictRank: Record<Verdict, number> = { pass: 0, fail: 1, inconclusive: 2 };

/** Pending approvals by rollout id (the oldest request of each). */
export function approvalsByRollout(approvals: readonly Approval[] | undefined): Map<string, Approval> {
  const map = new Map<string, Approval>();
  for (const a of approvals ?? []) {
    if (a.status !== 'pending') continue;
    const seen = map.get(a.rolloutId);
    if (!seen || a.requestedAt < seen.requestedAt) map.set(a.rolloutId, a);
  }
  return map;
}

/**
 * Active rollouts for the big screen: those waiting for a second operator's approval first (oldest
 * request first), then those waiting at a gate (ready-to-decide before
 * failing before undecided), oldest first within each group; then those busy or starting.
 */
export function sortActive(
  rollouts: readonly Rollout[],
  verdicts: ReadonlyMap<string, Verdict>,
  approvals: ReadonlyMap<string, Approval> = new Map(),
): OverviewItem[] {
  return rollouts
    .filter((r) => !finalPhases.includes(r.phase))
    .map((rollout) => ({
      rollout,
      verdict: verdicts.get(rollout.id) ?? null,
      waiting: (rollout.phase === 'progressing' || rollout.phase === 'paused') && rollout.operation === null,
      approval: approvals.get(rollout.id) ?? null,
    }))
    .sort((a, b) => {
      if ((a.approval === null) !== (b.approval === null)) return a.approval ? -1 : 1;
      if (a.approval && b.approval) return a.approval.requestedAt.localeCompare(b.approval.requestedAt);
      if (a.waiting !== b.waiting) return a.waiting ? -1 : 1;
      const va = a.verdict ? verdictRank[a.verdict] : 3;
      const vb = b.verdict ? verdictRank[b.verdict] : 3;
      if (a.waiting && va !== vb) return va - vb;
      return a.rollout.createdAt.localeCompare(b.rollout.createdAt);
    });
}

export function recentFinished(rollouts: readonly Rollout[], limit = 10): Rollout[] {
  return rollouts
    .filter((r) => finalPhases.includes(r.phase))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, limit);
}
