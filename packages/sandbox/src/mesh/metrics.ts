import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Istio's standard HTTP metrics with Istio's label set, so PromQL written for a
 * real mesh (Flagger's success rate, p99 from `_bucket`) runs unchanged against the sandbox.
 */

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

export const LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

type Label = (typeof LABEL_NAMES)[number];
type Labels = Record<Label, string>;

/** The destination half of the label set; build once per endpoint, reuse on every request. */
export interface DestinationLabels {
  /** Unique per label combination; part of the child-cache key. */
  readonly key: string;
  readonly labels: Pick<Labels, Extract<Label, `destination_${string}`>>;
}

export interface DestinationInfo {
  service: { name: string; namespace: string };
  /** Absent when no pod was chosen (UH, NR): Istio reports "unknown". */
  pod?: { namespace: string; workload: string; labels: Record<string, string> };
}

const UNKNOWN = 'unknown';

export function destinationLabels({ service, pod }: DestinationInfo): DestinationLabels {
  const l = pod?.labels ?? {};
  const app = l.app ?? l['app.kubernetes.io/name'];
  const version = l.version ?? l['app.kubernetes.io/version'];
  const labels = {
    destination_workload: pod?.workload ?? UNKNOWN,
    destination_workload_namespace: pod?.namespace ?? UNKNOWN,
    destination_principal: UNKNOWN,
    destination_app: app ?? UNKNOWN,
    destination_version: version ?? UNKNOWN,
    destination_service: `${service.name}.${service.namespace}.svc.cluster.local`,
    destination_service_name: service.name,
    destination_service_namespace: service.namespace,
    destination_canonical_service: pod
      ? (l['service.istio.io/canonical-name'] ?? app ?? pod.workload)
      : UNKNOWN,
    destination_canonical_revision: pod
      ? (l['service.istio.io/canonical-revision'] ?? version ?? 'latest')
      : UNKNOWN,
    destination_cluster: pod ? 'Kubernetes' : UNKNOWN,
  };
  return { key: JSON.stringify(labels), labels };
}

export type Reporter = 'source' | 'destination';

interface Child {
  inc(): void;
  observe(ms: number): void;
}

/** One proxy's metrics. Children are cached per label combination to keep a request cheap. */
export class IstioMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter<Label>({
    name: 'istio_requests_total',
    help: 'Total number of HTTP requests, by reporter and peers.',
    labelNames: LABEL_NAMES,
    registers: [this.registry],
  });
  private readonly duration = new Histogram<Label>({
    name: 'istio_request_duration_milliseconds',
    help: 'HTTP request duration in milliseconds, from first request byte to last response byte.',
    labelNames: LABEL_NAMES,
    buckets: DURATION_BUCKETS_MS,
    registers: [this.registry],
  });
  private readonly children = new Map<string, Child>();

  record(
    reporter: Reporter,
    source: string,
    dest: DestinationLabels,
    code: number,
    flags: string,
    durationMs: number,
  ): void {
    const key = `${reporter}\u0000${source}\u0000${code}\u0000${flags}\u0000${dest.key}`;
    let child = this.children.get(key);
    if (!child) {
      const labels: Labels = {
        reporter,
        source_workload: source,
        source_workload_namespace: UNKNOWN,
        source_principal: UNKNOWN,
        source_app: source,
        source_version: UNKNOWN,
        source_canonical_service: source,
        source_canonical_revision: 'latest',
        source_cluster: UNKNOWN,
        ...dest.labels,
        request_protocol: 'http',
        response_code: String(code),
        grpc_response_status: '',
        response_flags: flags,
        // No mTLS in the sandbox: the server side says "none"; the client side cannot know.
        connection_security_policy: reporter === 'destination' ? 'none' : UNKNOWN,
      };
      const counter = this.requests.labels(labels);
      const histogram = this.duration.labels(labels);
      child = { inc: () => counter.inc(), observe: (ms) => histogram.observe(ms) };
      this.children.set(key, child);
    }
    child.inc();
    child.observe(durationMs);
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
