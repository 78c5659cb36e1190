import type { MetricPoint, RolloutEvent } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { chooseStep, downsample } from './downsample.ts';
import { currentStepStart, weightSeries } from './weight-series.ts';

const point = (at: string, errorRate: number | null, conv: number | null = null): MetricPoint => ({
  at,
  arm: 'canary',
  requestRate: 5,
  errorRate,
  p50: 30,
  p95: 55,
  p99: 70,
  business: { conversion: conv },
});

describe('chooseStep', () => {
  it('keeps a 48-hour range under 1,000 points whatever step is asked', () => {
    const from = 0;
    const to = 48 * 3600 * 1000;
    const step = chooseStep(from, to, 5, 5);
    expect(step).toBe(173);
    expect(Math.ceil((to - from) / 1000 / step)).toBeLessThanOrEqual(1000);
  });

  it('uses the asked step when the range is short, and never less than the sampling interval', () => {
    expect(chooseStep(0, 600_000, 30, 5)).toBe(30);
    expect(chooseStep(0, 600_000, 1, 5)).toBe(5);
    expect(chooseStep(0, 600_000, undefined, 5)).toBe(5);
  });
});

describe('downsample', () => {
  it('averages values per bucket and keeps missing data missing', () => {
    const points = [
      point('2026-01-01T00:00:00.000Z', 0.01, 0.6),
      point('2026-01-01T00:00:05.000Z', 0.03, null),
      point('2026-01-01T00:00:10.000Z', null, null),
      point('2026-01-01T00:00:25.000Z', 0.02, 0.5),
    ];
    const out = downsample(points, Date.parse('2026-01-01T00:00:00Z'), 10);
    expect(out.map((p) => p.at)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
    ]);
    expect(out[0]!.errorRate).toBeCloseTo(0.02);
    expect(out[0]!.business.conversion).toBeCloseTo(0.6);
    expect(out[1]!.errorRate).toBeNull();
    expect(out[2]!.errorRate).toBe(0.02);
  });
});

describe('downsample weighs shares and quantiles by requests', () => {
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
  const sample = (
    second: number,
    requestRate: number | null,
    errorRate: number | null,
    p99: number | null,
  ) => ({
    ...point(at(second), errorRate),
    requestRate,
    p50: p99 === null ? null : p99 / 2,
    p95: p99,
    p99,
  });

  it.each([
    {
      name: 'a quiet second with many errors beside a busy one with few',
      points: [sample(0, 100, 0.01, 100), sample(5, 1, 0.5, 2_000)],
      requestRate: 50.5,
      errorRate: (100 * 0.01 + 1 * 0.5) / 101,
      p99: (100 * 100 + 1 * 2_000) / 101,
    },
    {
      name: 'equal traffic: the plain mean',
      points: [sample(0, 10, 0.1, 100), sample(5, 10, 0.3, 300)],
      requestRate: 10,
      errorRate: 0.2,
      p99: 200,
    },
    {
      name: 'a point without traffic adds nothing',
      points: [sample(0, 20, 0.05, 80), sample(5, 0, null, null)],
      requestRate: 10,
      errorRate: 0.05,
      p99: 80,
    },
    {
      name: 'a point whose rate is unknown counts only when no point has one',
      points: [sample(0, null, 0.2, 100), sample(5, null, 0.4, 300)],
      requestRate: null,
      errorRate: 0.3,
      p99: 200,
    },
    {
      name: 'a rate known for one point only: that point speaks for the bucket',
      points: [sample(0, 4, 0.02, 90), sample(5, null, 0.9, 900)],
      requestRate: 4,
      errorRate: 0.02,
      p99: 90,
    },
  ])('$name', ({ points, requestRate, errorRate, p99 }) => {
    const [out] = downsample(points, Date.UTC(2026, 0, 1), 10);
    expect(out!.requestRate).toBe(requestRate);
    expect(out!.errorRate).toBeCloseTo(errorRate, 12);
    expect(out!.p99).toBeCloseTo(p99, 9);
    expect(out!.p95).toBeCloseTo(p99, 9);
    expect(out!.p50).toBeCloseTo(p99 / 2, 9);
  });
});

describe('weightSeries', () => {
  const event = (at: string, action: RolloutEvent['action'], toWeight: number | null): RolloutEvent => ({
    id: 0,
    rolloutId: 'r',
    at,
    actor: 'a',
    action,
    fromWeight: null,
    toWeight,
    fromPhase: null,
    toPhase: null,
    reason: null,
    details: null,
  });

  it('draws every weight change and skips failures and repeats', () => {
    const events = [
      event('t0', 'created', 0),
      event('t1', 'canary-ready', 0),
      event('t1', 'step', 1),
      event('t2', 'pause', 1),
      event('t3', 'operation-failed', 1),
      event('t4', 'set-weight', 25),
      event('t5', 'rollback', 0),
    ];
    expect(weightSeries(events)).toEqual([
      { at: 't0', weight: 0 },
      { at: 't1', weight: 1 },
      { at: 't4', weight: 25 },
      { at: 't5', weight: 0 },
    ]);
    expect(currentStepStart(events.slice(0, 4), 'x')).toBe('t1');
  });
});
