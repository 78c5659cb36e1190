import { describe, expect, it } from 'vitest';
import { businessQuery } from './business.ts';
import { meshQueries } from './index.ts';

const input = { namespace: 'shop', stableWorkload: 'web', canaryWorkload: 'web-canary', window: 300 };
const sel =
  'reporter="destination",destination_workload_namespace="shop",destination_workload=~"web|web-canary"';

describe('Istio PromQL builders', () => {
  const q = meshQueries.istio;

  it('counts requests and 5xx per arm over the window', () => {
    expect(q.workloadLabel).toBe('destination_workload');
    expect(q.requests(input)).toBe(
      `sum by (destination_workload) (increase(istio_requests_total{${sel}}[300s]))`,
    );
    expect(q.serverErrors(input)).toBe(
      `sum by (destination_workload) (increase(istio_requests_total{${sel},response_code=~"5.."}[300s]))`,
    );
  });

  it('counts since the step began as each series’ growth, new or reset series from zero', () => {
    const since = { ...input, since: 1_767_225_600.5 };
    const series = `istio_requests_total{${sel}}`;
    expect(q.requests(since)).toBe(
      `sum by (destination_workload) (((${series} - ${series} @ 1767225600.500) >= 0 or ${series} + 0))`,
    );
    const failed = `istio_requests_total{${sel},response_code=~"5.."}`;
    expect(q.serverErrors(since)).toBe(
      `sum by (destination_workload) (((${failed} - ${failed} @ 1767225600.500) >= 0 or ${failed} + 0))`,
    );
    expect(q.latencyBuckets(since)).toContain('istio_request_duration_milliseconds_bucket{');
    expect(q.latencyBuckets(since)).toMatch(/^sum by \(destination_workload, le\) \(\(\(/);
  });

  it('reads latency buckets per arm and le', () => {
    expect(q.latencyBuckets(input)).toBe(
      `sum by (destination_workload, le) (increase(istio_request_duration_milliseconds_bucket{${sel}}[300s]))`,
    );
  });

  it('builds the chart rate and 5xx share over a short window', () => {
    const chart = { ...input, window: 30 };
    const all = `sum by (destination_workload) (rate(istio_requests_total{${sel}}[30s]))`;
    expect(q.requestRate(chart)).toBe(all);
    expect(q.errorShare(chart)).toBe(
      `(sum by (destination_workload) (rate(istio_requests_total{${sel},response_code=~"5.."}[30s])) or 0 * ${all}) / ${all}`,
    );
  });

  it('escapes names: a dot matches only a dot, a quote cannot close the matcher', () => {
    const odd = {
      namespace: 'team"a',
      stableWorkload: 'web.v1',
      canaryWorkload: 'web.v1-canary',
      window: 59.7,
    };
    expect(q.requests(odd)).toBe(
      'sum by (destination_workload) (increase(istio_requests_total{reporter="destination",' +
        'destination_workload_namespace="team\\"a",destination_workload=~"web\\\\.v1|web\\\\.v1-canary"}[60s]))',
    );
  });
});

describe('businessQuery', () => {
  it('answers numerator and denominator for both arms and both windows in one query', () => {
    const promql = businessQuery(
      {
        name: 'checkout-conversion',
        numerator: 'sum(increase(done_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
        denominator:
          'sum(increase(started_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
      },
      {
        namespace: 'shop',
        stableWorkload: 'web',
        canaryWorkload: 'web-canary',
        stepWindowSeconds: 600,
        chartWindowSeconds: 30,
      },
    );
    expect(promql.startsWith('sum by (aviary_part) (\nlabel_replace(\n')).toBe(true);
    expect(promql.match(/label_replace\(/g)).toHaveLength(8);
    expect(promql).toContain(
      'label_replace(\nsum(increase(done_total{namespace="shop",workload="web-canary"}[600s]))\n, "aviary_part", "canary:numerator:step", "", "")',
    );
    expect(promql).toContain(
      'label_replace(\nsum(increase(started_total{namespace="shop",workload="web"}[30s]))\n, "aviary_part", "stable:denominator:chart", "", "")',
    );
  });
});
