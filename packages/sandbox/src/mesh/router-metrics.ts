import { Counter, Histogram, type Registry } from 'prom-client';
import type { RouterKind } from './routers.ts';

/**
 * Each router's own metrics with their real names, labels and units,
 * so PromQL written for Linkerd, ingress-nginx or Traefik runs unchanged against the sandbox.
 * `namespace` is not exported: Prometheus attaches the proxy's namespace as a target label.
 */

export interface RoutedRequest {
  kind: RouterKind;
  /** Backend Service the request went to, and its port. */
  service: string;
  port: number;
  /** The Deployment whose pod answered (Linkerd's `deployment`). */
  workload: string;
  /** The namespace of the router object (for Traefik's and NGINX's service names). */
  namespace: string;
  /** NGINX: the main Ingress, its Service and path; set when the request was routed by one. */
  labels: Record<string, string>;
  /** NGINX: whether the canary Ingress's backend served it. */
  canary: boolean;
  method: string;
  code: number;
  ms: number;
}

// Linkerd's latency buckets (ms), ingress-nginx's and Traefik's defaults (s).
const LINKERD_MS = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000,
];
const NGINX_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TRAEFIK_S = [0.1, 0.3, 1.2, 5];

export class RouterMetrics {
  private readonly linkerd: { total: Counter<string>; latency: Histogram<string> };
  private readonly nginx: { total: Counter<string>; latency: Histogram<string> };
  private readonly traefik: { total: Counter<string>; latency: Histogram<string> };

  constructor(registry: Registry) {
    const registers = [registry];
    const linkerdLabels = ['direction', 'deployment', 'authority', 'status_code', 'classification', 'tls'];
    this.linkerd = {
      total: new Counter({
        name: 'response_total',
        help: 'Total count of HTTP responses.',
        labelNames: linkerdLabels,
        registers,
      }),
      latency: new Histogram({
        name: 'response_latency_ms',
        help: "Elapsed times between a request's headers being received and its response stream completing.",
        labelNames: linkerdLabels.filter((l) => l !== 'classification'),
        buckets: LINKERD_MS,
        registers,
      }),
    };
    const nginxLabels = ['status', 'method', 'path', 'ingress', 'service', 'canary', 'controller_class'];
    this.nginx = {
      total: new Counter({
        name: 'nginx_ingress_controller_requests',
        help: 'The total number of client requests',
        labelNames: nginxLabels,
        registers,
      }),
      latency: new Histogram({
        name: 'nginx_ingress_controller_request_duration_seconds',
        help: 'The request processing time in seconds',
        labelNames: nginxLabels,
        buckets: NGINX_S,
        registers,
      }),
    };
    const traefikLabels = ['code', 'method', 'protocol', 'service'];
    this.traefik = {
      total: new Counter({
        name: 'traefik_service_requests_total',
        help: 'How many HTTP requests processed on a service, partitioned by status code, protocol, and method.',
        labelNames: traefikLabels,
        registers,
      }),
      latency: new Histogram({
        name: 'traefik_service_request_duration_seconds',
        help: 'How long it took to process the request on a service, partitioned by status code, protocol, and method.',
        labelNames: traefikLabels,
        buckets: TRAEFIK_S,
        registers,
      }),
    };
  }

  record(r: RoutedRequest): void {
    switch (r.kind) {
      case 'smi': {
        const base = {
          direction: 'inbound',
          deployment: r.workload,
          authority: `${r.service}.${r.namespace}.svc.cluster.local:${r.port}`,
          status_code: String(r.code),
          tls: 'false',
        };
        // Linkerd classifies a 5xx (or a failed stream) as a failure.
        this.linkerd.total.inc({
          ...base,
          classification: r.code >= 500 || r.code === 0 ? 'failure' : 'success',
        });
        this.linkerd.latency.observe(base, r.ms);
        return;
      }
      case 'nginx': {
        const labels = {
          status: String(r.code),
          method: r.method,
          path: r.labels.path ?? '/',
          ingress: r.labels.ingress ?? '',
          service: r.labels.service ?? r.service,
          // $proxy_alternative_upstream_name: empty for the main backend.
          canary: r.canary ? `${r.namespace}-${r.service}-${r.port}` : '',
          controller_class: 'k8s.io/ingress-nginx',
        };
        this.nginx.total.inc(labels);
        this.nginx.latency.observe(labels, r.ms / 1000);
        return;
      }
      case 'traefik': {
        const labels = {
          code: String(r.code),
          method: r.method,
          protocol: 'http',
          service: `${r.namespace}-${r.service}-${r.port}@kubernetescrd`,
        };
        this.traefik.total.inc(labels);
        this.traefik.latency.observe(labels, r.ms / 1000);
        return;
      }
      default:
        // Gateway API routes in the sandbox run on the Istio-like mesh: its metrics cover them.
        return;
    }
  }
}
