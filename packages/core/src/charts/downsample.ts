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

const numericFields = ['requestRate', 'errorRate', 'p50', 'p95', 'p99'] as const;

function mean(values: (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * Average one arm's points into buckets of `stepSeconds`, aligned to `fromMs`; a bucket's point
 * sits at the bucket's start. Buckets without data are left out (the chart shows a gap), and
 * a missing value stays missing: averaging never turns "no data" into 0.
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
        requestRate: null,
        errorRate: null,
        p50: null,
        p95: null,
        p99: null,
        business,
      };
      for (const field of numericFields) point[field] = mean(group.map((p) => p[field]));
      return point;
    });
}
