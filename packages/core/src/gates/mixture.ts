/**
 * A mixture sequential probability ratio test for a Bernoulli share (Robbins; the "always-valid
 * p-value" of Johari, Pekelis & Walsh, *Peeking at A/B tests*, KDD 2017), and the confidence
 * sequence it gives.
 *
 * Wald's SPRT against one alternative p1 weighs every bad event the same however bad the canary
 * is, so a canary failing 8% of requests needs nearly as many errors to fail as one failing 1.5%.
 * The mixture averages the likelihood ratio over a grid of alternatives above the null instead,
 *   Λₙ = Σₖ wₖ · (pₖ/p0)^bad · ((1−pₖ)/(1−p0))^(n−bad),   pₖ = p0 + smallest·2ᵏ,
 * so whichever alternative is nearest the truth dominates: a gross failure crosses after a handful
 * of errors, a modest one still crosses through the smallest alternative.
 *
 * Why it stays valid under continuous monitoring: for pₖ > p0 each ratio is a supermartingale
 * whenever the true share is at most p0 (its expected step is q·pₖ/p0 + (1−q)(1−pₖ)/(1−p0), which
 * is 1 at q = p0 and grows with q), and so is any fixed mixture of them. Ville's inequality then
 * bounds P(Λ ever reaches 1/a) by a, however often we look and whenever we stop. Alternatives are
 * only ever above p0: a mixture with mass below p0 would grow for a canary better than p0.
 *
 * Why a grid and not a continuous (truncated Beta) prior: the grid has a closed form with no
 * incomplete beta function, it is exact, and doubling steps lose little: the per-sample drift is
 * flat near the best alternative, and neighbouring alternatives add their evidence.
 */

/**
 * Four alternatives, smallest·{1, 2, 4, 8}, and half the weight on the smallest. Measured by
 * bench/gate-simulation (stable 0.4%, tolerance 0.5 pp, 5 req/s, 300 runs each), median samples to
 * fail at 10× stable's errors against the Wald SPRT this replaced / share of 2%-vs-1% canaries failed
 * within the hour:
 *  - 7 alternatives up to halfway to 1, equal weights: 0.43× / 93.5%;
 *  - 5 alternatives, equal weights: 0.42× / 94%; 40% on the smallest: 0.43× / 95%;
 *  - 4 alternatives, half on the smallest: 0.45× / 96%.
 * A modest breach just past the tolerance is the common and the hard case; a gross one has evidence
 * to spare, and beyond 8× the tolerance the largest alternative already gains a lot per bad event.
 */
const MAX_ALTERNATIVES = 4;
const SMALLEST_WEIGHT = 0.5;

/**
 * The alternatives above `p0`: `p0 + smallest·2ᵏ`, k = 0…3, while they stay at or below halfway
 * from p0 to 1, so every ln(1 − pₖ) stays finite. At least one, even when `smallest` overshoots.
 */
export function mixtureAlternatives(p0: number, smallest: number): number[] {
  const top = (1 + p0) / 2;
  const out: number[] = [];
  for (let d = smallest; out.length < MAX_ALTERNATIVES && p0 + d <= top; d *= 2) out.push(p0 + d);
  if (out.length === 0) out.push(top);
  return out;
}

/** ln Σ exp(xᵢ), without overflow. */
function logSumExp(xs: readonly number[]): number {
  const max = Math.max(...xs);
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - max);
  return max + Math.log(sum);
}

/**
 * ln Λ after `bad` bad events in `total` observations (counts may be fractional, for projections):
 * half the weight on the first alternative, the rest shared equally.
 */
export function mixtureLogLr(
  bad: number,
  total: number,
  p0: number,
  alternatives: readonly number[],
): number {
  const good = total - bad;
  const k = alternatives.length;
  const logWeight = (i: number) =>
    k === 1 ? 0 : Math.log(i === 0 ? SMALLEST_WEIGHT : (1 - SMALLEST_WEIGHT) / (k - 1));
  const logNull = bad * Math.log(p0) + good * Math.log1p(-p0);
  return logSumExp(
    alternatives.map(
      (p, i) => logWeight(i) + (bad > 0 ? bad * Math.log(p) : 0) + good * Math.log1p(-p) - logNull,
    ),
  );
}

/**
 * Canary samples still needed for ln Λ to reach `bound` if the share stays at `share`: the smallest
 * m with ln Λ(bad + share·m, total + m) ≥ bound, from expected counts. null when it never gets
 * there (a share at or below p0 has no drift towards the bound). 0 when it is already there.
 */
export function mixtureSamplesToBound(opts: {
  bad: number;
  total: number;
  share: number;
  p0: number;
  alternatives: readonly number[];
  bound: number;
}): number | null {
  const { bad, total, share, p0, alternatives, bound } = opts;
  const at = (m: number) => mixtureLogLr(bad + share * m, total + m, p0, alternatives);
  if (at(0) >= bound) return 0;
  if (!(share > p0)) return null;
  let hi = 1;
  while (at(hi) < bound) {
    hi *= 2;
    if (hi > 1e12) return null;
  }
  let lo = hi === 1 ? 0 : hi / 2;
  // "~N more requests" needs two significant digits, not the exact sample.
  while (hi - lo > Math.max(0.5, hi / 200)) {
    const mid = (lo + hi) / 2;
    if (at(mid) >= bound) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi);
}

/**
 * The always-valid lower confidence bound on the share (a confidence sequence, Howard et al. 2021,
 * built from the same mixture): the smallest p0 the mixture cannot reject at `bound`, i.e. where
 * ln Λ(p0) falls below `bound`. The true share stays above it at every n at once with probability
 * ≥ 1 − e^(−bound). `relativeSmallest` sets the grid's first step as a fraction of p0.
 */
export function mixtureLowerBound(
  bad: number,
  total: number,
  bound: number,
  relativeSmallest = 0.25,
): number {
  if (total <= 0 || bad <= 0) return 0;
  const rejects = (p0: number) =>
    mixtureLogLr(bad, total, p0, mixtureAlternatives(p0, p0 * relativeSmallest)) >= bound;
  let lo = 0;
  let hi = bad / total;
  if (!rejects(1e-12)) return 0;
  lo = 1e-12;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (rejects(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
