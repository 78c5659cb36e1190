import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { behaviourOf, sampleLatencyMs } from './catalogue.ts';

export interface AppOptions {
  image: string;
  /** The pod name this replica answers as. */
  pod: string;
  /** Uniform [0, 1) source; tests pass a seeded one. */
  random?: () => number;
  /** Multiplies simulated latency; tests pass 0 to measure shares without waiting. */
  latencyScale?: number;
}

export interface RunningApp {
  port: number;
  /** Stop accepting; in-flight requests finish unless `force`. */
  close(opts?: { force?: boolean }): Promise<void>;
}

// Longer than the mesh's and loadgen's agent idle timeout, so the client always closes an
// idle keep-alive socket first and never reuses one the server is tearing down (ECONNRESET).
const KEEP_ALIVE_MS = 65_000;
const FORCE_CLOSE_MS = 5_000;

/** One pod replica: a real HTTP listener on 127.0.0.1 behaving as its image's tag says. */
export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const behaviour = behaviourOf(opts.image);
  const random = opts.random ?? Math.random;
  const latencyScale = opts.latencyScale ?? 1;
  const identity = { service: behaviour.service, version: behaviour.tag, pod: opts.pod, image: opts.image };

  const registry = new Registry();
  const started = new Counter({
    name: 'shop_checkouts_started_total',
    help: 'Checkouts started (POST /checkout that reached the shop logic).',
    registers: [registry],
  });
  const completed = new Counter({
    name: 'shop_checkouts_completed_total',
    help: 'Checkouts that completed with an order.',
    registers: [registry],
  });

  // The app's own HTTP metrics (what a team without a mesh has); the pod's `version` label is
  // attached at scrape time, so canary and stable split without the proxies' help.
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by status code and method.',
    labelNames: ['code', 'method'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to serve a shop request, in seconds.',
    labelNames: ['method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const serveShop = (req: IncomingMessage, res: ServerResponse) => {
    const began = performance.now();
    const method = req.method ?? 'GET';
    res.once('finish', () => {
      requests.inc({ code: String(res.statusCode), method });
      duration.observe({ method }, (performance.now() - began) / 1000);
    });
    const isCheckout = req.method === 'POST' && pathOf(req.url) === '/checkout';
    if (!isCheckout && req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { error: 'method not allowed', allow: 'GET, HEAD, POST /checkout' });
    }
    later(sampleLatencyMs(behaviour.latency, random) * latencyScale, () => {
      if (res.destroyed) return;
      // A failed request never reaches the shop logic, so business counters only see served ones.
      if (random() < behaviour.errorRate) return send(res, 500, { error: 'simulated failure', ...identity });
      if (!isCheckout) return send(res, 200, identity);
      started.inc();
      const done = random() < behaviour.conversionRate;
      if (done) completed.inc();
      send(res, 200, { ...identity, checkout: done ? 'completed' : 'abandoned' });
    });
  };

  const server = createServer((req, res) => {
    // Drain any body so keep-alive connections stay usable.
    req.resume();
    const path = pathOf(req.url);
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => send(res, 500, { error: 'metrics unavailable' }),
      );
      return;
    }
    serveShop(req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const port = await listen(server);

  let closed: Promise<void> | undefined;
  return {
    port,
    close: ({ force = false } = {}) => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A client that keeps its socket busy must not hold a removed pod open forever.
        setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_MS).unref();
      });
      if (force) {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
      }
      return closed;
    },
  };
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function pathOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return q < 0 ? (url ?? '/') : url!.slice(0, q);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
