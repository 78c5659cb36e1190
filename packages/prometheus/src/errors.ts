/**
 * Why a Prometheus call failed. Two families matter to callers:
 * - the query was rejected (`bad_data`, `execution`): the user wrote something Prometheus will not
 *   run, so it is their 4xx, with Prometheus' own message;
 * - Prometheus could not answer (`unreachable`, `timeout`, `unavailable`, `http`): no data, so a
 *   gate is inconclusive and an API answers 503.
 */
export const prometheusErrorKinds = [
  'unreachable',
  'timeout',
  'bad_data',
  'execution',
  'unavailable',
  'http',
] as const;
export type PrometheusErrorKind = (typeof prometheusErrorKinds)[number];

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    /** The HTTP status Prometheus (or a proxy in front of it) answered; null when none came back. */
    readonly status: number | null = null,
    /** Prometheus' own `errorType` when the envelope carried one (e.g. `internal`, `canceled`). */
    readonly errorType: string | null = null,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }

  /** True when Prometheus refused the query itself, as opposed to failing to answer. */
  get rejectedQuery(): boolean {
    return this.kind === 'bad_data' || this.kind === 'execution';
  }
}

export const isPrometheusError = (err: unknown): err is PrometheusError => err instanceof PrometheusError;
