import { promString, regexEscape } from '../promql.ts';
import { sourceQueries } from './build.ts';

/**
 * Linkerd proxy metrics: the server side (`direction="inbound"`) of each arm's
 * pods, by the `deployment` label; `classification="failure"` is a 5xx; latency in milliseconds.
 */
export const linkerdQueries = sourceQueries({
  requests: 'response_total',
  buckets: 'response_latency_ms_bucket',
  failed: 'classification="failure"',
  latencyUnitMs: 1,
  groupBy: 'deployment',
  matchers: (input) =>
    [
      'direction="inbound"',
      `namespace=${promString(input.namespace)}`,
      `deployment=~${promString(`${regexEscape(input.stableWorkload)}|${regexEscape(input.canaryWorkload)}`)}`,
    ].join(','),
});
