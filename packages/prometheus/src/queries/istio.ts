import { promString, rangeSeconds, regexEscape } from '../promql.ts';
import type { MeshQueries, RolloutQueryInput } from './types.ts';

/**
 * Istio standard metrics. `reporter="destination"` counts what reached the
 * pods, so each arm's own failures land on it; summing both reporters would double count.
 */
const REQUESTS = 'istio_requests_total';
const BUCKETS = 'istio_request_duration_milliseconds_bucket';
const BY_WORKLOAD = 'sum by (destination_workload)';

function matchers(input: RolloutQueryInput): string {
  // Regex matchers are fully anchored, so "web|web-canary" does not also pick up "web-canary-2".
  const workloads = `${regexEscape(input.stableWorkload)}|${regexEscape(input.canaryWorkload)}`;
  return [
    'reporter="destination"',
    `destination_workload_namespace=${promString(input.namespace)}`,
    `destination_workload=~${promString(workloads)}`,
  ].join(',');
}

const FIVE_XX = 'response_code=~"5.."';

function over(fn: 'increase' | 'rate', metric: string, input: RolloutQueryInput, extra?: string): string {
  const sel = extra ? `${matchers(input)},${extra}` : matchers(input);
  return `${fn}(${metric}{${sel}}[${rangeSeconds(input.window)}])`;
}

/**
 * A step count: with `since`, each series' growth since the step began — its value now minus its
 * value then (`@`), a series born since counted from 0 and one that reset counted from the reset
 * (`>= 0` drops the negative difference, `or` brings the series back whole; `+ 0` drops the
 * metric name so `or` matches it against the nameless difference). Not increase() over the step:
 * that needs two samples inside the window, so a weight change shows nothing until its second
 * scrape, and it extrapolates a new series' first samples instead of counting them.
 */
function counted(metric: string, input: RolloutQueryInput, extra?: string): string {
  if (input.since === undefined) return over('increase', metric, input, extra);
  const series = `${metric}{${extra ? `${matchers(input)},${extra}` : matchers(input)}}`;
  return `((${series} - ${series} @ ${input.since.toFixed(3)}) >= 0 or ${series} + 0)`;
}

export const istioQueries: MeshQueries = {
  workloadLabel: 'destination_workload',
  latencyUnitMs: 1,
  requests: (input) => `${BY_WORKLOAD} (${counted(REQUESTS, input)})`,
  serverErrors: (input) => `${BY_WORKLOAD} (${counted(REQUESTS, input, FIVE_XX)})`,
  latencyBuckets: (input) => `sum by (destination_workload, le) (${counted(BUCKETS, input)})`,
  requestRate: (input) => `${BY_WORKLOAD} (${over('rate', REQUESTS, input)})`,
  errorShare: (input) => {
    const all = `${BY_WORKLOAD} (${over('rate', REQUESTS, input)})`;
    const failed = `${BY_WORKLOAD} (${over('rate', REQUESTS, input, FIVE_XX)})`;
    // A workload that never answered 5xx has no 5xx series; `or 0 * all` makes its share 0
    // instead of dropping it, while 0 requests still divide to NaN (no data).
    return `(${failed} or 0 * ${all}) / ${all}`;
  },
};
