import { describe, expect, it } from 'vitest';
import { metricsFixture, pointFixture } from '../../test/fixtures.ts';
import { inconclusiveGate, passGate } from '../../test/gate-fixtures.ts';
import { chartGate } from './gate-thresholds.ts';
import {
  baseSeries,
  decimate,
  mergeMarkers,
  splitThin,
  toChartModels,
  toChartRows,
  weightAt,
} from './transforms.ts';
import type { ChartRow } from './types.ts';

const t = (s: number) => Date.parse('2025-01-01T10:00:00.000Z') + s * 1000;
const errorRate = baseSeries[0]!.pick;

describe('toChartRows', () => {
  it.each([
    {
      name: 'merges arms by time, carries the weight as a step function, extends to `to`',
      metrics: metricsFixture(),
      rows: [
        { t: t(0), canary: null, stable: 0.2, weight: 1 },
        { t: t(10), canary: 1, stable: 0.2, weight: 1 },
        { t: t(15), canary: null, stable: null, weight: 5 },
        { t: t(20), canary: null, stable: null, weight: 5 },
      ],
    },
    {
      name: 'keeps missing values as null (no data is not zero)',
      metrics: metricsFixture({
        canary: [pointFixture('2025-01-01T10:00:10.000Z', 'canary', { errorRate: null })],
        stable: [],
        weight: [],
        to: '2025-01-01T10:00:10.000Z',
      }),
      rows: [{ t: t(10), canary: null, stable: null, weight: null }],
    },
  ])('$name', ({ metrics, rows }) => {
    expect(
      toChartRows(metrics, errorRate).map((r) => ({ ...r, stable: r.stable && +r.stable.toFixed(3) })),
    ).toEqual(rows);
  });
});

describe('weightAt', () => {
  const weight = metricsFixture().weight;
  it.each([
    [t(-1), null],
    [t(0), 1],
    [t(14), 1],
    [t(15), 5],
    [t(99), 5],
  ])('at %s → %s', (at, expected) => expect(weightAt(weight, at)).toBe(expected));
});

describe('toChartModels', () => {
  it('draws error rate, three latency quantiles and each business metric, with thresholds and markers', () => {
    const models = toChartModels(metricsFixture(), '2025-01-01T10:00:15.000Z');
    expect(models.map((m) => m.key)).toEqual([
      'errorRate',
      'p50',
      'p95',
      'p99',
      'business:checkout-conversion',
    ]);
    // Without a gate only the positions are drawn, no lines.
    expect(models[0]?.thresholds).toEqual([]);
    expect(models[0]?.markers).toEqual([
      { t: t(15), action: 'step', label: 'step 5%', title: 'step by admin: looks good' },
    ]);
    expect(models[0]?.highlight).toBe(t(15));
    expect(models[0]?.hasData).toEqual({ canary: true, stable: true });
    expect(models[4]?.rows[1]?.canary).toBeCloseTo(60);
  });

  it("draws the gate's lines: stable + allowance and the hard limit, the slow bound on latency", () => {
    const models = toChartModels(
      metricsFixture(),
      null,
      chartGate(inconclusiveGate, metricsFixture().thresholds),
    );
    const by = Object.fromEntries(models.map((m) => [m.key, m.thresholds]));
    expect(by.errorRate?.map((l) => l.label)).toEqual(['allowed: stable +0.5 pp = 0.94%', 'hard limit 5%']);
    expect(by.p95).toEqual([{ value: 250, label: 'slow > 250 ms' }]);
    expect(by['business:checkout-conversion']?.[0]?.label).toBe('allowed: stable −5 pp = 50.6%');
  });

  it('dashes the canary while its data is thin, labelled with its n; not once it has enough', () => {
    const metrics = metricsFixture();
    const thin = { ...inconclusiveGate, stepStartedAt: metrics.from };
    const models = toChartModels(metrics, null, chartGate(thin, metrics.thresholds));
    expect(models[0]?.thin).toMatchObject({ n: 8 });
    expect(models[0]?.rows.every((r) => r.canary === null)).toBe(true);
    expect(models[0]?.rows.some((r) => typeof r.canaryThin === 'number')).toBe(true);
    const enough = toChartModels(metrics, null, chartGate(passGate, metrics.thresholds));
    expect(enough[0]?.thin).toBeNull();
    expect(enough[0]?.rows.some((r) => r.canary !== null)).toBe(true);
  });

  it('joins the solid and the dashed canary line at the step start', () => {
    const rows: ChartRow[] = [10, 20, 30].map((s) => ({ t: t(s), canary: s, stable: 1, weight: 5 }));
    expect(splitThin(rows, t(20))).toEqual({ t: t(30), value: 30 });
    expect(rows.map((r) => [r.canary, r.canaryThin])).toEqual([
      [10, 10],
      [null, 20],
      [null, 30],
    ]);
  });

  it('has no highlight for an invalid ?at', () => {
    expect(toChartModels(metricsFixture(), 'yesterday')[0]?.highlight).toBeNull();
  });
});

describe('mergeMarkers', () => {
  const m = (t: number, label: string) => ({ t, action: label, label, title: label });
  it.each([
    ['far apart stay apart', [m(0, 'start'), m(100, 'step 5%')], ['start', 'step 5%']],
    [
      'close ones share a label, keeping the last action',
      [m(0, 'start'), m(5, 'step 10%'), m(100, 'rollback')],
      ['start · step 10%', 'rollback'],
    ],
    ['none', [], []],
  ])('%s', (_name, markers, labels) => {
    expect(mergeMarkers(markers, 10).map((x) => x.label)).toEqual(labels);
  });
});

describe('decimate', () => {
  const rows = (n: number, weightChangeAt = -1) =>
    Array.from({ length: n }, (_, i) => ({
      t: i,
      canary: i % 2 ? null : i,
      stable: 1,
      weight: weightChangeAt >= 0 && i >= weightChangeAt ? 50 : 10,
    }));

  it.each([
    ['short series stay as they are', 10, 20, -1, 10],
    ['long ones shrink to about the maximum, keeping the end', 1000, 100, -1, 101],
    ['a weight change inside a bucket splits it', 1000, 100, 505, 102],
  ])('%s', (_name, n, max, change, length) => {
    const out = decimate(rows(n, change), max);
    expect(out).toHaveLength(length);
    expect(out.at(-1)?.t).toBe(n - 1);
  });

  it('averages present values and keeps gaps as null', () => {
    const out = decimate(
      [
        { t: 0, canary: 1, stable: null, weight: 5 },
        { t: 1, canary: 3, stable: null, weight: 5 },
        { t: 2, canary: null, stable: null, weight: 5 },
      ],
      1,
    );
    expect(out[0]).toEqual({ t: 0, canary: 2, stable: null, weight: 5 });
  });

  it('keeps the exact moment the weight changed', () => {
    const out = decimate(rows(1000, 505), 100);
    expect(out.find((r) => r.weight === 50)?.t).toBe(505);
  });
});
