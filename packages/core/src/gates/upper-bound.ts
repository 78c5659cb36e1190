/**
 * What the data so far can still not rule out: the exact one-sided Clopper–Pearson upper bound
 * on a share, from `bad` events in `total`. Beside an inconclusive check it reads "0 errors in 8
 * requests — still consistent with up to 31% errors". It describes the counts at hand only; the
 * gate's own decisions come from the sequential test, which stays valid under repeated looks.
 *
 * The bound is the Beta(bad + 1, total − bad) quantile at the confidence level; the quantile comes
 * from stdlib's beta distribution rather than a hand-written inverse incomplete beta.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';

/** The confidence the upper bound is stated at (one-sided). */
export const UPPER_BOUND_CONFIDENCE = 0.95;

/** The largest share still consistent with `bad` of `total` at `confidence`; null without data. */
export function clopperPearsonUpper(
  bad: number,
  total: number,
  confidence = UPPER_BOUND_CONFIDENCE,
): number | null {
  if (!Number.isFinite(bad) || !Number.isFinite(total) || total <= 0 || bad < 0 || bad > total) return null;
  const x = Math.round(bad);
  const n = Math.round(total);
  if (x >= n) return 1;
  // Closed form for no bad events, exact and cheap: 1 − (1 − confidence)^(1/n).
  if (x === 0) return 1 - (1 - confidence) ** (1 / n);
  return betaQuantile(confidence, x + 1, n - x);
}
