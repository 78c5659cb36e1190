import { describe, expect, it } from 'vitest';
import { PrometheusError } from './errors.ts';
import { istioQueries as q } from './queries/istio.ts';
import type { PrometheusQuerier } from './client.ts';
import { type SampleSpec, sampleRollout } from './sample.ts';
import type { QueryResult, VectorSample } from './types.ts';

const now = new Date('2025-01-01T12:10:00Z');
const spec: SampleSpec = {
  provider: 'istio',
  namespace: 'shop',
  stableWorkload: 'web',
  canaryWorkload: 'web-canary',
  stepStartedAt: new Date('2025-01-01T12:00:00Z'),
  now,
  chartWindowSeconds: 30,
  latencyQuantile: 0.95,
  business: [
    { name: 'conversion', numerator: 'done{w="{{workload}}"}', denominator: 'started{w="{{workload}}"}' },
  ],
};
const arms = { namespace: 'shop', stableWorkload: 'web', canaryWorkload: 'web-canary' };
const gate = { ...arms, window: 600, since: Date.parse('2025-01-01T12:00:00Z') / 1000 };
const chart = { ...arms, window: 30 };

const s = (metric: Record<string, string>, value: number): VectorSample => ({ metric, timestamp: 0, value });
const wl = (w: string, value: number) => s({ destination_workload: w }, value);
const buckets = (w: string, counts: [string, number][]) =>
  counts.map(([le, v]) => s({ destination_workload: w, le }, v));
const part = (p: string, value: number) => s({ aviary_part: p }, value);

/** A querier answering from a table keyed by the exact PromQL; anything else is unknown. */
function fake(answers: Map<string, VectorSample[] | Error>, business?: VectorSample[] | Error) {
  const calls: { promql: string; time: Date | undefined }[] = [];
  const client: PrometheusQuerier = {
    query: async (promql, time) => {
      calls.push({ promql, time });
      const a = promql.startsWith('sum by (aviary_part)') ? business : answers.get(promql);
      if (a instanceof Error) throw a;
      if (!a) throw new Error(`unexpected query ${promql}`);
      return { resultType: 'vector', result: a, warnings: [] } satisfies QueryResult;
    },
  };
  return { client, calls };
}

const healthy = () =>
  new Map<string, VectorSample[] | Error>([
    [q.requests(gate), [wl('web', 10_000.4), wl('web-canary', 499.6)]],
    // canary has no 5xx series at all: it never failed.
    [q.serverErrors(gate), [wl('web', 100.49)]],
    [
      q.latencyBuckets(gate),
      [
        ...buckets('web', [
          ['50', 9_000],
          ['100', 9_600],
          ['+Inf', 10_000],
        ]),
        ...buckets('web-canary', [
          ['50', 300],
          ['100', 400],
          ['+Inf', 500],
        ]),
      ],
    ],
    [q.requestRate(chart), [wl('web', 16.5), wl('web-canary', 0.8)]],
    [q.errorShare(chart), [wl('web', 0.01), wl('web-canary', 0)]],
    [
      q.latencyBuckets(chart),
      buckets('web', [
        ['10', 50],
        ['100', 100],
        ['+Inf', 100],
      ]),
    ],
  ]);

describe('sampleRollout', () => {
  it('answers gate counts and chart points from 7 parallel queries evaluated at `now`', async () => {
    const { client, calls } = fake(healthy(), [
      part('canary:numerator:step', 30.4),
      part('canary:denominator:step', 100.2),
      part('stable:numerator:step', 500),
      part('stable:denominator:step', 1_000),
      part('canary:numerator:chart', 1),
      part('canary:denominator:chart', 4),
      part('stable:numerator:chart', 5),
      part('stable:denominator:chart', 10),
    ]);
    const sample = await sampleRollout(client, spec);

    expect(calls).toHaveLength(7);
    expect(calls.every((c) => c.time === now)).toBe(true);
    expect(sample).toEqual({
      at: '2025-01-01T12:10:00.000Z',
      errors: { canary: { bad: 0, total: 500 }, stable: { bad: 100, total: 10_000 } },
      // stable p95 = 50 + 50 × (500 / 600) ≈ 91.7 ms → 100 ms bound.
      latency: { canary: { bad: 100, total: 500 }, stable: { bad: 400, total: 10_000 }, thresholdMs: 100 },
      business: [
        {
          name: 'conversion',
          canary: { numerator: 30, denominator: 100 },
          stable: { numerator: 500, denominator: 1_000 },
        },
      ],
      chart: {
        canary: {
          requestRate: 0.8,
          errorRate: 0,
          p50: null,
          p95: null,
          p99: null,
          business: { conversion: 0.25 },
        },
        stable: {
          requestRate: 16.5,
          errorRate: 0.01,
          // 50 of 100 in (10, 100]: p95 = 10 + 90 × 45/50, p99 = 10 + 90 × 49/50.
          p50: 10,
          p95: 91,
          p99: 98.2,
          business: { conversion: 0.5 },
        },
      },
      canaryRequestRate: 0.8,
    });
    expect(sample).not.toHaveProperty('unavailable');
  });

  it('rounds extrapolated counts and never reports more bad than total', async () => {
    const answers = healthy();
    answers.set(q.requests(gate), [wl('web', 10.4), wl('web-canary', 3.4)]);
    answers.set(q.serverErrors(gate), [wl('web', 10.6), wl('web-canary', 3.6)]);
    const { client } = fake(answers, []);
    const sample = await sampleRollout(client, spec);
    expect(sample.errors).toEqual({ canary: { bad: 3, total: 3 }, stable: { bad: 10, total: 10 } });
  });

  it('reports an arm without series as null (no data), never as 0', async () => {
    const answers = healthy();
    answers.set(q.requests(gate), [wl('web', 100)]);
    answers.set(q.requestRate(chart), [wl('web', 2)]);
    answers.set(q.errorShare(chart), []); // 0/0 → NaN is dropped by Prometheus' division too
    const { client } = fake(answers, []);
    const sample = await sampleRollout(client, spec);
    expect(sample.errors.canary).toBeNull();
    expect(sample.errors.stable).toEqual({ bad: 100, total: 100 });
    expect(sample.chart.canary).toEqual({
      requestRate: null,
      errorRate: null,
      p50: null,
      p95: null,
      p99: null,
      business: { conversion: null },
    });
    expect(sample.chart.stable.errorRate).toBeNull();
    expect(sample.canaryRequestRate).toBeNull();
    expect(sample.business).toEqual([{ name: 'conversion', canary: null, stable: null }]);
    expect(sample.unavailable).toBeUndefined();
  });

  it('counts a missing success counter as 0 only when the other arm proves the query matches', async () => {
    const withStable = fake(healthy(), [
      part('canary:denominator:step', 50),
      part('stable:numerator:step', 5),
      part('stable:denominator:step', 10),
      part('canary:denominator:chart', 5),
      part('stable:numerator:chart', 1),
      part('stable:denominator:chart', 2),
    ]);
    const a = await sampleRollout(withStable.client, spec);
    expect(a.business[0]?.canary).toEqual({ numerator: 0, denominator: 50 });
    expect(a.chart.canary.business.conversion).toBe(0);

    const mistyped = fake(healthy(), [
      part('canary:denominator:step', 50),
      part('stable:denominator:step', 10),
    ]);
    const b = await sampleRollout(mistyped.client, spec);
    expect(b.business[0]).toEqual({ name: 'conversion', canary: null, stable: null });
  });

  it('nulls only what a rejected query feeds and says which metric failed', async () => {
    const rejected = new PrometheusError('bad_data', '1:3: parse error: unexpected "}"', 400, 'bad_data');
    const { client } = fake(healthy(), rejected);
    const sample = await sampleRollout(client, spec);
    expect(sample.business).toEqual([{ name: 'conversion', canary: null, stable: null }]);
    expect(sample.chart.stable.business).toEqual({ conversion: null });
    expect(sample.errors.stable).toEqual({ bad: 100, total: 10_000 });
    expect(sample.unavailable).toBe('business metric "conversion": 1:3: parse error: unexpected "}"');
  });

  it('returns all nulls and the reason, without throwing, when Prometheus is down', async () => {
    const down = new PrometheusError(
      'unreachable',
      'cannot reach Prometheus at http://p:9090: connect ECONNREFUSED',
    );
    const client: PrometheusQuerier = { query: () => Promise.reject(down) };
    const sample = await sampleRollout(client, spec);
    const empty = {
      requestRate: null,
      errorRate: null,
      p50: null,
      p95: null,
      p99: null,
      business: { conversion: null },
    };
    expect(sample).toEqual({
      at: now.toISOString(),
      errors: { canary: null, stable: null },
      latency: { canary: null, stable: null, thresholdMs: null },
      business: [{ name: 'conversion', canary: null, stable: null }],
      chart: { canary: empty, stable: empty },
      canaryRequestRate: null,
      unavailable: 'cannot reach Prometheus at http://p:9090: connect ECONNREFUSED',
    });
  });

  it('reads step counts as growth since the step began, even at its very first instant', async () => {
    const { client, calls } = fake(new Map(), []);
    await sampleRollout(client, { ...spec, stepStartedAt: now, business: [] });
    expect(calls[0]?.promql).toContain(`@ ${now.getTime() / 1000}.000`);
    expect(calls[0]?.promql).not.toContain('increase(');
  });

  it('reports a query that does not return a vector instead of misreading it', async () => {
    const client: PrometheusQuerier = {
      query: async () => ({ resultType: 'scalar', result: { timestamp: 0, value: 1 }, warnings: [] }),
    };
    const sample = await sampleRollout(client, { ...spec, business: [] });
    expect(sample.unavailable).toBe('the query returned a scalar, expected an instant vector');
  });
});
