import { promString, regexEscape } from '../promql.ts';
import { ARM_LABEL, sourceQueries } from './build.ts';

/**
 * ingress-nginx metrics. `service` is the main Ingress's backend (the target
 * Service or `<service>-stable`); `canary` is empty for requests the main backend served and
 * names the canary upstream for the rest. Durations are in seconds.
 */
export const nginxQueries = sourceQueries({
  requests: 'nginx_ingress_controller_requests',
  buckets: 'nginx_ingress_controller_request_duration_seconds_bucket',
  failed: 'status=~"5.."',
  latencyUnitMs: 1000,
  groupBy: 'canary',
  arms: () => ({ canary: 'canary', stable: 'stable' }),
  matchers: (input) => {
    const s = regexEscape(input.stableWorkload);
    return [`namespace=${promString(input.namespace)}`, `service=~${promString(`${s}|${s}-stable`)}`].join(
      ',',
    );
  },
  relabel: (expr) =>
    `label_replace(label_replace(${expr}, "${ARM_LABEL}", "stable", "canary", ""), "${ARM_LABEL}", "canary", "canary", ".+")`,
});
