import type { MetricPoint } from '@aviary/contracts';

export const maxPointsPerSeries = 1_000;

/** The step (seconds) to use: the one asked for, raised so the range fits in `maxPoints` points. */
export function chooseStep(
  fromMs: number,
  toMs: number,
  requested: number | undefined,
  minimum: number,
  maxPoints = maxPointsPerSeries,
): number {
  const span = Math.max(0, toMs - fromMs) / 1000;
  const floor = Math.ceil(span / maxPoints);
  return Math.max(requested ?? minimum, minimum, floor, 1);
}

/** Shares and quantiles of requests: a point stands for as many requests as its rate says. */
const perRequestFields = ['errorRate', 'p50', 'p95', 'p99'] as const;

const known = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

function mean(values: (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!known(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * The mean of `value` over the requests behind the points: samples are evenly spaced, so a
 * point's request rate is its share of the bucket's requests. A quiet second with a 50% error
 * share must not weigh as much as a busy one with 1%. (A request-weighted quantile is the best
 * estimate without the histograms; it is exact for shares.) Points whose rate is unknown count
 * only when no point in the bucket has one.
 */
function perRequestMean(
  group: readonly MetricPoint[],
  value: (p: MetricPoint) => number | null,
): number | null {
  let sum = 0;
  let requests = 0;
  for (const p of group) {
    const v = value(p);
    if (!known(v) || !known(p.requestRate) || p.requestRate <= 0) continue;
    sum += v * p.requestRate;
    requests += p.requestRate;
  }
  return requests > 0 ? sum / requests : mean(group.map(value));
}

/**
 * Thin one arm's points into buckets of `stepSeconds`, aligned to `fromMs`; a bucket's point
 * sits at the bucket's start. The request rate is averaged over time; error shares and latency
 * quantiles over requests. Business shares are averaged over time, since a point carries no
 * count of their attempts. Buckets without data are left out (the chart shows a gap), and a
 * missing value stays missing: thinning never turns "no data" into 0.
 */
export function downsample(
  points: readonly MetricPoint[],
  fromMs: number,
  stepSeconds: number,
): MetricPoint[] {
  const stepMs = stepSeconds * 1000;
  const buckets = new Map<number, MetricPoint[]>();
  for (const p of points) {
    const key = Math.floor((Date.parse(p.at) - fromMs) / stepMs);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(p);
    else buckets.set(key, [p]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, group]) => {
      const first = group[0]!;
      if (group.length === 1) return { ...first, at: new Date(fromMs + key * stepMs).toISOString() };
      const business: Record<string, number | null> = {};
      for (const name of Object.keys(first.business))
        business[name] = mean(group.map((p) => p.business[name] ?? null));
      const point: MetricPoint = {
        at: new Date(fromMs + key * stepMs).toISOString(),
        arm: first.arm,
        requestRate: mean(group.map((p) => p.requestRate)),
        errorRate: null,
        p50: null,
        p95: null,
        p99: null,
        business,
      };
      for (const field of perRequestFields) point[field] = perRequestMean(group, (p) => p[field]);
      return point;
    });
}
