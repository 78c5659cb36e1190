import { describe, expect, it } from 'vitest';
import { type Bucket, histogramQuantile, percentiles, slowRequests } from './histogram.ts';

const INF = Number.POSITIVE_INFINITY;
const hist = (pairs: [number, number][]): Bucket[] => pairs.map(([le, count]) => ({ le, count }));

// 100 requests: 50 ≤ 10 ms, 30 in (10, 25], 10 in (25, 50], 6 in (50, 100], 3 in (100, 250], 1 in (250, 500].
const stable = hist([
  [10, 50],
  [25, 80],
  [50, 90],
  [100, 96],
  [250, 99],
  [500, 100],
  [INF, 100],
]);
// A slower canary: 20% above 100 ms, 5% above 250 ms.
const canary = hist([
  [10, 30],
  [25, 50],
  [50, 70],
  [100, 80],
  [250, 95],
  [500, 100],
  [INF, 100],
]);

describe('histogramQuantile (histogram_quantile semantics)', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    expect(histogramQuantile(0.5, stable)).toBe(10); // rank 50 fills the first bucket exactly: 0 + 10 × 50/50
    expect(histogramQuantile(0.95, stable)).toBeCloseTo(50 + 50 * (5 / 6), 10); // rank 95: 5 of the 6 in (50, 100]
    expect(histogramQuantile(0.99, stable)).toBe(250); // rank 99: 3 of 3 in (100, 250]
    expect(histogramQuantile(0.8, canary)).toBe(100);
  });

  it('does not care about input order', () => {
    expect(histogramQuantile(0.95, [...stable].reverse())).toBeCloseTo(91.6667, 4);
  });

  it('returns the highest finite bound when the rank lands in the +Inf bucket', () => {
    expect(
      histogramQuantile(
        0.5,
        hist([
          [10, 1],
          [INF, 10],
        ]),
      ),
    ).toBe(10);
  });

  it('is NaN without observations, without a +Inf bucket, or with only one bucket', () => {
    expect(
      histogramQuantile(
        0.5,
        hist([
          [10, 0],
          [INF, 0],
        ]),
      ),
    ).toBeNaN();
    expect(histogramQuantile(0.5, hist([[10, 5]]))).toBeNaN();
    expect(histogramQuantile(0.5, hist([[INF, 5]]))).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('flattens decreasing bucket counts (increase() extrapolates each bucket on its own)', () => {
    const bumpy = hist([
      [10, 50],
      [25, 48],
      [50, 100],
      [INF, 100],
    ]);
    expect(histogramQuantile(0.5, bumpy)).toBe(10);
    expect(histogramQuantile(0.6, bumpy)).toBe(30); // (25, 50] holds 50 after flattening: 25 + 25 × 10/50
  });

  it('merges buckets with the same bound and returns a non-positive first bound as is', () => {
    expect(
      histogramQuantile(
        0.5,
        hist([
          [10, 20],
          [10, 30],
          [INF, 100],
        ]),
      ),
    ).toBe(10);
    expect(
      histogramQuantile(
        0.2,
        hist([
          [0, 5],
          [INF, 10],
        ]),
      ),
    ).toBe(0);
  });

  it('returns ±Inf for quantiles outside [0, 1], like Prometheus', () => {
    expect(histogramQuantile(-0.1, stable)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, stable)).toBe(INF);
  });
});

describe('percentiles', () => {
  it('gives p50/p95/p99 from one set of buckets, null (not 0) without data', () => {
    const p = percentiles(stable);
    expect(p.p50).toBe(10);
    expect(p.p95).toBeCloseTo(91.6667, 4);
    expect(p.p99).toBe(250);
    expect(percentiles(undefined)).toEqual({ p50: null, p95: null, p99: null });
    expect(
      percentiles(
        hist([
          [10, 0],
          [INF, 0],
        ]),
      ),
    ).toEqual({ p50: null, p95: null, p99: null });
  });
});

describe('slowRequests', () => {
  it("snaps stable's p95 (91.7 ms) to the nearest bound (100 ms) and counts requests above it", () => {
    expect(slowRequests({ canary, stable }, 0.95)).toEqual({
      thresholdMs: 100,
      stableQuantileMs: expect.closeTo(91.6667, 4),
      canary: { bad: 20, total: 100 },
      stable: { bad: 4, total: 100 },
    });
  });

  it('uses the p99 bound when asked (250 ms)', () => {
    const r = slowRequests({ canary, stable }, 0.99);
    expect(r.thresholdMs).toBe(250);
    expect(r.canary).toEqual({ bad: 5, total: 100 });
    expect(r.stable).toEqual({ bad: 1, total: 100 });
  });

  it('picks the upper bound on a tie, so stable stays within its quantile', () => {
    // p50 = 175 ms, exactly between 100 and 250.
    const even = hist([
      [100, 0],
      [250, 100],
      [INF, 100],
    ]);
    expect(slowRequests({ canary: even, stable: even }, 0.5).thresholdMs).toBe(250);
  });

  it('picks the lower bound when it is nearer', () => {
    // p95 = 50 + 50 × (1/6) ≈ 58.3 ms: nearer 50 than 100.
    const s = hist([
      [50, 94],
      [100, 100],
      [INF, 100],
    ]);
    const r = slowRequests({ canary: s, stable: s }, 0.95);
    expect(r.thresholdMs).toBe(50);
    expect(r.stable).toEqual({ bad: 6, total: 100 });
  });

  it('rounds extrapolated counts and never reports more slow than total', () => {
    const floaty = hist([
      [100, 95.4],
      [250, 96.2],
      [INF, 100.4],
    ]);
    const r = slowRequests({ canary: floaty, stable: floaty }, 0.95);
    expect(r.thresholdMs).toBe(100);
    expect(r.stable).toEqual({ bad: 5, total: 100 });
  });

  it('has no bound, so no counts for either arm, when stable has no data', () => {
    const none = { thresholdMs: null, stableQuantileMs: null, canary: null, stable: null };
    expect(slowRequests({ canary, stable: undefined }, 0.95)).toEqual(none);
    const idle = hist([
      [100, 0],
      [INF, 0],
    ]);
    expect(slowRequests({ canary, stable: idle }, 0.95)).toEqual(none);
  });

  it('reports a canary without data as null while stable still counts', () => {
    const r = slowRequests({ canary: undefined, stable }, 0.95);
    expect(r.canary).toBeNull();
    expect(r.stable).toEqual({ bad: 4, total: 100 });
  });

  it('counts a canary missing the bound at the next lower bound (more slow, never fewer)', () => {
    const sparse = hist([
      [50, 70],
      [INF, 100],
    ]);
    expect(slowRequests({ canary: sparse, stable }, 0.95).canary).toEqual({ bad: 30, total: 100 });
  });
});
