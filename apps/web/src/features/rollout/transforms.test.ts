import { describe, expect, it } from 'vitest';
import { checkFixture, gateFixture, metricsFixture, pointFixture } from '../../test/fixtures.ts';
import {
  baseSeries,
  decimate,
  gateState,
  mergeMarkers,
  toChartModels,
  toChartRows,
  toGateView,
  weightAt,
} from './transforms.ts';

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
    expect(models[0]?.threshold).toEqual({ value: 5, label: 'max 5.0%' });
    expect(models[2]?.threshold?.value).toBe(100);
    expect(models[4]?.threshold).toBeNull();
    expect(models[0]?.markers).toEqual([
      { t: t(15), action: 'step', label: 'step 5%', title: 'step by admin: looks good' },
    ]);
    expect(models[0]?.highlight).toBe(t(15));
    expect(models[0]?.hasData).toEqual({ canary: true, stable: true });
    expect(models[4]?.rows[1]?.canary).toBeCloseTo(60);
  });

  it('has no highlight for an invalid ?at', () => {
    expect(toChartModels(metricsFixture(), 'yesterday')[0]?.highlight).toBeNull();
  });
});

describe('gateState and toGateView', () => {
  const noData = gateFixture({
    verdict: 'inconclusive',
    canaryRequestRate: null,
    checks: [
      checkFixture({ name: 'sample-size', kind: 'sample-size', verdict: 'inconclusive', samplesNeeded: 200 }),
      checkFixture({ verdict: 'inconclusive', canary: null, stable: null, canaryCounts: null }),
    ],
  });
  const needsSamples = gateFixture({
    verdict: 'inconclusive',
    bakeSecondsRemaining: 30,
    checks: [
      checkFixture({
        name: 'bake-time',
        kind: 'bake-time',
        verdict: 'inconclusive',
        secondsToSignificance: 30,
      }),
      checkFixture({
        name: 'sample-size',
        kind: 'sample-size',
        verdict: 'inconclusive',
        samplesNeeded: 150,
        canaryCounts: { bad: 0, total: 50 },
      }),
      checkFixture({
        verdict: 'inconclusive',
        secondsToSignificance: 125,
        canaryCounts: { bad: 0, total: 50 },
      }),
    ],
  });
  const baking = gateFixture({
    verdict: 'inconclusive',
    bakeSecondsRemaining: 42,
    checks: [checkFixture({ name: 'bake-time', kind: 'bake-time', verdict: 'inconclusive' }), checkFixture()],
  });

  it.each([
    ['pass', gateFixture(), 'pass'],
    ['fail', gateFixture({ verdict: 'fail' }), 'fail'],
    ['no data', noData, 'no-data'],
    ['needs samples', needsSamples, 'needs-samples'],
    ['baking', baking, 'baking'],
    ['not evaluated', gateFixture({ verdict: 'inconclusive', checks: [] }), 'not-evaluated'],
  ])('%s', (_name, gate, state) => expect(gateState(gate)).toBe(state));

  it('formats the numbers a release manager reads', () => {
    const view = toGateView(needsSamples);
    expect(view).toMatchObject({
      state: 'needs-samples',
      bakeLeft: '30s',
      samplesSoFar: '50',
      samplesNeeded: '150',
      timeToSignificance: '2m 05s',
      requestRate: '2.0 req/s',
    });
    expect(view.checks[2]).toMatchObject({
      canary: '0.20%',
      stable: '0.21%',
      tolerance: '+0.5%',
      counts: '0/50 vs 40/19,000',
    });
    expect(view.blocking.map((c) => c.name)).toEqual(['bake-time', 'sample-size', 'error-rate']);
  });

  it('has nothing blocking and no time to significance when it passed', () => {
    const view = toGateView(gateFixture());
    expect(view.blocking).toEqual([]);
    expect(view.timeToSignificance).toBeNull();
    expect(view.bakeLeft).toBeNull();
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
