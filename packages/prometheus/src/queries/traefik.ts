import { promString, regexEscape } from '../promql.ts';
import { ARM_LABEL, sourceQueries } from './build.ts';

/**
 * Traefik service metrics: `service` is `<namespace>-<k8s service>-<port>@kubernetescrd`,
 * so each arm is its Service, `<service>-stable` or `<service>-canary`. Durations are in seconds.
 */
const arm = (input: { namespace: string; stableWorkload: string }) =>
  `${regexEscape(input.namespace)}-${regexEscape(input.stableWorkload)}-(stable|canary)-[0-9a-z]+@kubernetescrd`;

export const traefikQueries = sourceQueries({
  requests: 'traefik_service_requests_total',
  buckets: 'traefik_service_request_duration_seconds_bucket',
  failed: 'code=~"5.."',
  latencyUnitMs: 1000,
  groupBy: 'service',
  arms: () => ({ canary: 'canary', stable: 'stable' }),
  matchers: (input) => `service=~${promString(arm(input))}`,
  relabel: (expr, input) =>
    `label_replace(${expr}, "${ARM_LABEL}", "$1", "service", ${promString(arm(input))})`,
});
