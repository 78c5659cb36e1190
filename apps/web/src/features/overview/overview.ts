import { type Rollout, type Verdict, finalPhases } from '@aviary/contracts';

export interface OverviewItem {
  rollout: Rollout;
  verdict: Verdict | null;
  /** Progressing or paused with nothing under way: a person has to decide. */
  waiting: boolean;
}

const verdictRank: Record<Verdict, number> = { pass: 0, fail: 1, inconclusive: 2 };

/**
 * Active rollouts for the big screen: those waiting at a gate first (ready-to-decide before
 * failing before undecided), oldest first within each group; then those busy or starting.
 */
export function sortActive(
  rollouts: readonly Rollout[],
  verdicts: ReadonlyMap<string, Verdict>,
): OverviewItem[] {
  return rollouts
    .filter((r) => !finalPhases.includes(r.phase))
    .map((rollout) => ({
      rollout,
      verdict: verdicts.get(rollout.id) ?? null,
      waiting: (rollout.phase === 'progressing' || rollout.phase === 'paused') && rollout.operation === null,
    }))
    .sort((a, b) => {
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
