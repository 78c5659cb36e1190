import type { ArmCounts } from '@aviary/contracts';

/** One classic histogram bucket: `count` observations were ≤ `le` (cumulative, `le` may be +Inf). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * Sorted by bound, equal bounds merged, decreases flattened: what Prometheus' histogram_quantile
 * does first. `increase()` extrapolates each bucket series on its own, so small decreases between
 * neighbouring buckets are normal and must not produce negative bucket counts.
 */
export function normalizeBuckets(buckets: readonly Bucket[]): Bucket[] {
  const sorted = [...buckets].filter((b) => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le);
  const merged: Bucket[] = [];
  for (const b of sorted) {
    const last = merged.at(-1);
    if (last && last.le === b.le) last.count += b.count;
    else merged.push({ le: b.le, count: b.count });
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const b of merged) {
    max = Math.max(max, b.count);
    b.count = max;
  }
  return merged;
}

/**
 * The φ-quantile with histogram_quantile's semantics (Prometheus `promql/quantile.go`): linear
 * interpolation inside the bucket holding the rank, 0 as the lower edge of the first bucket, the
 * highest finite bound when the rank falls in the +Inf bucket, and NaN for no observations, fewer
 * than two buckets or no +Inf bucket. Computing it here lets one bucket query serve p50, p95 and
 * p99 for both arms.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const bs = normalizeBuckets(buckets);
  const top = bs.at(-1);
  if (!top || top.le !== Number.POSITIVE_INFINITY || bs.length < 2) return Number.NaN;
  const observations = top.count;
  if (!(observations > 0)) return Number.NaN;
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) whose cumulative count reaches the rank.
  let b = bs.findIndex((x, i) => i < bs.length - 1 && x.count >= rank);
  if (b === -1) b = bs.length - 1;
  if (b === bs.length - 1) return bs[bs.length - 2]!.le;
  const bucket = bs[b]!;
  if (b === 0 && bucket.le <= 0) return bucket.le;
  let start = 0;
  let count = bucket.count;
  if (b > 0) {
    const prev = bs[b - 1]!;
    start = prev.le;
    count -= prev.count;
    rank -= prev.count;
  }
  return start + (bucket.le - start) * (rank / count);
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** p50/p95/p99 for a chart; NaN (no observations) becomes null, never 0. */
export function percentiles(buckets: readonly Bucket[] | undefined): Percentiles {
  const at = (q: number) => {
    if (!buckets) return null;
    const v = histogramQuantile(q, buckets);
    return Number.isFinite(v) ? v : null;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export interface SlowRequests {
  /** The bucket bound that defines "slow" (ms for Istio); null when stable has no latency data. */
  thresholdMs: number | null;
  /** Stable's interpolated quantile the bound was chosen from, for explanations. */
  stableQuantileMs: number | null;
  canary: ArmCounts | null;
  stable: ArmCounts | null;
}

/**
 * The latency test: take stable's quantile, snap it to the nearest bucket bound (the
 * only place a histogram can count exactly), and count each arm's requests above that bound.
 * The two "slow" shares are then tested like error rates. Ties snap upward, so stable's slow
 * share stays at most 1 − quantile. Without stable data there is no bound, so both arms are null.
 */
export function slowRequests(
  arms: { canary: readonly Bucket[] | undefined; stable: readonly Bucket[] | undefined },
  quantile: number,
): SlowRequests {
  const none: SlowRequests = { thresholdMs: null, stableQuantileMs: null, canary: null, stable: null };
  if (!arms.stable) return none;
  const q = histogramQuantile(quantile, arms.stable);
  if (!Number.isFinite(q)) return none;
  const bounds = normalizeBuckets(arms.stable)
    .map((b) => b.le)
    .filter(Number.isFinite);
  let bound: number | undefined;
  for (const le of bounds) {
    if (bound === undefined || Math.abs(le - q) <= Math.abs(bound - q)) bound = le;
  }
  if (bound === undefined) return none;
  return {
    thresholdMs: bound,
    stableQuantileMs: q,
    canary: countAbove(arms.canary, bound),
    stable: countAbove(arms.stable, bound),
  };
}

/**
 * Requests above `bound` out of all, rounded (increase() extrapolates to floats). An arm without
 * that exact bound is counted at the next lower one, which can only call more requests slow.
 */
function countAbove(buckets: readonly Bucket[] | undefined, bound: number): ArmCounts | null {
  if (!buckets) return null;
  const bs = normalizeBuckets(buckets);
  const top = bs.at(-1);
  if (!top || top.le !== Number.POSITIVE_INFINITY) return null;
  const atBound = bs.filter((b) => b.le <= bound).at(-1)?.count ?? 0;
  const total = Math.max(0, Math.round(top.count));
  const bad = Math.min(total, Math.max(0, Math.round(top.count - atBound)));
  return { bad, total };
}
