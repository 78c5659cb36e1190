import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Istio's default buckets for istio_request_duration_milliseconds (ms). */
export const BOUNDS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** One workload's traffic as one reporter sees it; every counter grows linearly from 0. */
export interface Traffic {
  namespace: string;
  workload: string;
  reporter?: 'destination' | 'source';
  /** Requests per second by response code. */
  perSecond: Record<string, number>;
  /** Cumulative share of requests at or under a bound (ms); bounds not listed carry the previous share. */
  latency: Record<number, number>;
  /** Business counters per second, labelled `namespace` and `workload` as the sandbox's scrape does. */
  checkouts?: { started: number; completed: number };
  /** Seconds after the start before these series exist (a canary's first requests); then from 0. */
  from?: number;
}

export interface Exporter {
  /** `host:port` to scrape. */
  address: string;
  /** Epoch milliseconds at which every counter was 0. */
  startedAt: number;
  scrapes(): number;
  close(): Promise<void>;
}

/**
 * A hand-written text-format exporter with Istio's metric names and labels, standing in for
 * Envoy's stats endpoint. Counts are a function of time since start, so a test knows the true
 * increase over any window: rate × seconds.
 */
export async function startExporter(traffic: Traffic[]): Promise<Exporter> {
  const startedAt = Date.now();
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') return res.writeHead(404).end();
    scrapes++;
    const text = exposition(traffic, (Date.now() - startedAt) / 1000);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    startedAt,
    scrapes: () => scrapes,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function exposition(traffic: Traffic[], seconds: number): string {
  const requests = ['# TYPE istio_requests_total counter'];
  const durations = ['# TYPE istio_request_duration_milliseconds histogram'];
  const started = ['# TYPE shop_checkouts_started_total counter'];
  const completed = ['# TYPE shop_checkouts_completed_total counter'];
  for (const t of traffic) {
    const alive = seconds - (t.from ?? 0);
    if (alive < 0) continue;
    for (const [code, rate] of Object.entries(t.perSecond)) {
      const labels =
        `reporter="${t.reporter ?? 'destination'}",destination_workload="${t.workload}",` +
        `destination_workload_namespace="${t.namespace}",response_code="${code}"`;
      const count = Math.floor(rate * alive);
      requests.push(`istio_requests_total{${labels}} ${count}`);
      let share = 0;
      for (const le of BOUNDS_MS) {
        share = t.latency[le] ?? share;
        durations.push(
          `istio_request_duration_milliseconds_bucket{${labels},le="${le}"} ${Math.floor(share * count)}`,
        );
      }
      durations.push(`istio_request_duration_milliseconds_bucket{${labels},le="+Inf"} ${count}`);
      durations.push(`istio_request_duration_milliseconds_sum{${labels}} ${count * 20}`);
      durations.push(`istio_request_duration_milliseconds_count{${labels}} ${count}`);
    }
    if (t.checkouts) {
      const labels = `namespace="${t.namespace}",workload="${t.workload}"`;
      started.push(`shop_checkouts_started_total{${labels}} ${Math.floor(t.checkouts.started * seconds)}`);
      completed.push(
        `shop_checkouts_completed_total{${labels}} ${Math.floor(t.checkouts.completed * seconds)}`,
      );
    }
  }
  return `${[...requests, ...durations, ...started, ...completed].join('\n')}\n`;
}
