import { promString, regexEscape } from '../promql.ts';
import { sourceQueries } from './build.ts';

/**
 * The application's own metrics, `http_requests_total{code}` and
 * `http_request_duration_seconds` (seconds), split by the pods' `version` label — for routers
 * whose proxies cannot tell canary from stable, and for teams without a mesh. The `workload`
 * label (the Deployment, attached at scrape time) keeps other services' pods out.
 */
export const appQueries = sourceQueries({
  requests: 'http_requests_total',
  buckets: 'http_request_duration_seconds_bucket',
  failed: 'code=~"5.."',
  latencyUnitMs: 1000,
  groupBy: 'version',
  arms: () => ({ canary: 'canary', stable: 'stable' }),
  matchers: (input) =>
    [
      `namespace=${promString(input.namespace)}`,
      `workload=~${promString(`${regexEscape(input.stableWorkload)}|${regexEscape(input.canaryWorkload)}`)}`,
    ].join(','),
});
