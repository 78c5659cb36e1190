/** One rollout as the mesh's metrics see it: both arms of one namespace over one window. */
export interface RolloutQueryInput {
  namespace: string;
  stableWorkload: string;
  canaryWorkload: string;
  /** Range of the `[…]` selector in seconds (rounded; at least 1). */
  window: number;
  /**
   * When the step began (Unix seconds). Set, the step counts (requests, serverErrors,
   * latencyBuckets) are each counter's growth since then instead of increase() over `window`.
   */
  since?: number;
}

/**
 * One metrics source's PromQL for one rollout. Every query groups by `workloadLabel`, so one
 * query answers for both arms and a key missing from the result means "no data for that arm".
 */
export interface MeshQueries {
  workloadLabel: string;
  /**
   * The `workloadLabel` values of each arm; without it, the arms' workload names. Sources that
   * do not label by workload (NGINX's `canary`, Traefik's `service`) relabel their answer.
   */
  arms?(input: RolloutQueryInput): { canary: string; stable: string };
  /** Milliseconds per unit of the latency buckets' `le` (Istio, Linkerd: 1; seconds: 1000). */
  latencyUnitMs: number;
  /** Requests since `since` (or in the window: increase()'s extrapolated floats). */
  requests(input: RolloutQueryInput): string;
  /** 5xx responses since `since` (or in the window). */
  serverErrors(input: RolloutQueryInput): string;
  /** Cumulative latency bucket counts since `since` (or in the window), by workload and `le` (in `latencyUnitMs`). */
  latencyBuckets(input: RolloutQueryInput): string;
  /** Requests per second over the window, for charts. */
  requestRate(input: RolloutQueryInput): string;
  /** Share of 5xx over the window (0–1), for charts: 0 when none failed, NaN when no requests. */
  errorShare(input: RolloutQueryInput): string;
}
