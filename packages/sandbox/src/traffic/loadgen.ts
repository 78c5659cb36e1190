import { Agent, type ClientRequest, request } from 'node:http';
import { CookieJar } from './cookies.ts';

export interface TrafficOptions {
  mesh: { addressOf(ns: string, svc: string): string | undefined };
  services: { namespace: string; service: string; rps?: number }[];
  /** Share of sessions that end with `POST /checkout` (default 0.3). */
  checkoutShare?: number;
  /** Uniform [0, 1) source; tests pass a seeded one. */
  random?: () => number;
}

export interface TrafficStats {
  sent: number;
  /** Answered 2xx/3xx. */
  ok: number;
  /** Answered 4xx/5xx, timed out, or refused. */
  failed: number;
}

interface Step {
  method: 'GET' | 'POST';
  path: string;
}

interface Session {
  jar: CookieJar;
  steps: Step[];
  busy: boolean;
}

interface Stream {
  namespace: string;
  service: string;
  rps: number;
  /** When the current rate took effect, and how many requests were issued since. */
  anchor: number;
  issued: number;
  sessions: Session[];
  cursor: number;
  stats: TrafficStats;
}

export const DEFAULT_RPS = 50;
const TICK_MS = 10;
const REQUEST_TIMEOUT_MS = 10_000;
// Bounds: a stalled upstream must not make the generator pile up sockets or sessions.
const MAX_SESSIONS = 500;
const browsePaths = ['/', '/products', '/cart', '/search?q=boots'];

/**
 * Steady user traffic through the mesh: each service gets `rps` requests per second on an even
 * schedule (never bursts to catch up), spread over user sessions that keep cookies — a few page
 * views, then for some a checkout — so sticky canary routing is exercised as real users would.
 */
export function startTraffic(opts: TrafficOptions) {
  const random = opts.random ?? Math.random;
  const checkoutShare = opts.checkoutShare ?? 0.3;
  // The agent's idle timeout is below the proxies' keep-alive timeout: this side closes first.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });
  const streams = new Map<string, Stream>();
  const inFlight = new Set<ClientRequest>();

  const streamFor = (namespace: string, service: string, rps: number): Stream => {
    const key = `${namespace}/${service}`;
    let s = streams.get(key);
    if (!s) {
      s = {
        namespace,
        service,
        rps,
        anchor: performance.now(),
        issued: 0,
        sessions: [],
        cursor: 0,
        stats: { sent: 0, ok: 0, failed: 0 },
      };
      streams.set(key, s);
    }
    return s;
  };
  for (const s of opts.services) streamFor(s.namespace, s.service, s.rps ?? DEFAULT_RPS);

  const newSession = (): Session => {
    const views = 2 + Math.floor(random() * 4);
    const steps: Step[] = [];
    for (let i = 0; i < views; i++) {
      const path = browsePaths[Math.floor(random() * browsePaths.length)] ?? '/';
      steps.push({
        method: 'GET',
        path: path === '/products' ? `/products/${1 + Math.floor(random() * 50)}` : path,
      });
    }
    if (random() < checkoutShare) steps.push({ method: 'POST', path: '/checkout' });
    return { jar: new CookieJar(), steps, busy: false };
  };

  const idleSession = (s: Stream): Session | undefined => {
    for (let i = 0; i < s.sessions.length; i++) {
      s.cursor = (s.cursor + 1) % s.sessions.length;
      const session = s.sessions[s.cursor];
      if (session && !session.busy) return session;
    }
    if (s.sessions.length >= MAX_SESSIONS) return undefined;
    const session = newSession();
    s.sessions.push(session);
    return session;
  };

  const issue = (s: Stream) => {
    const address = opts.mesh.addressOf(s.namespace, s.service);
    // Only the mesh's loopback proxies are ever targeted; before one listens there is nothing to send to.
    if (!address?.startsWith('127.0.0.1:')) return;
    s.stats.sent++;
    const session = idleSession(s);
    const step = session?.steps[0];
    if (!session || !step) return void s.stats.failed++;
    session.busy = true;
    const body = step.method === 'POST' ? JSON.stringify({ items: 1 + Math.floor(random() * 3) }) : undefined;
    const cookie = session.jar.header();
    const headers: Record<string, string> = { 'x-aviary-source': 'loadgen' };
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/json';

    const finish = (ok: boolean) => {
      inFlight.delete(req);
      if (ok) s.stats.ok++;
      else s.stats.failed++;
      session.busy = false;
      session.steps.shift();
      if (session.steps.length === 0) {
        const i = s.sessions.indexOf(session);
        if (i >= 0) s.sessions[i] = newSession();
      }
    };
    const req = request({
      host: '127.0.0.1',
      port: Number(address.slice('127.0.0.1:'.length)),
      method: step.method,
      path: step.path,
      headers,
      agent,
      timeout: REQUEST_TIMEOUT_MS,
    });
    inFlight.add(req);
    req.on('response', (res) => {
      session.jar.store(res.headers['set-cookie']);
      res.resume();
      res.on('end', () => finish((res.statusCode ?? 0) < 400));
      res.on('error', () => finish(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      if (inFlight.has(req)) finish(false);
    });
    req.end(body);
  };

  const tick = () => {
    const now = performance.now();
    for (const s of streams.values()) {
      const due = Math.floor(((now - s.anchor) * s.rps) / 1000);
      // After a stall (a paused debugger, a blocked loop) skip the backlog instead of bursting it.
      if (due - s.issued > Math.max(1, s.rps / 4)) s.issued = due - 1;
      while (s.issued < due) {
        s.issued++;
        issue(s);
      }
    }
  };
  const timer = setInterval(tick, TICK_MS);

  return {
    setRate(ns: string, svc: string, rps: number): void {
      const s = streamFor(ns, svc, rps);
      s.rps = Math.max(0, rps);
      s.anchor = performance.now();
      s.issued = 0;
    },
    stats(): Record<string, TrafficStats> {
      const out: Record<string, TrafficStats> = {};
      for (const [key, s] of streams) out[key] = { ...s.stats };
      return out;
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      for (const req of inFlight) req.destroy();
      inFlight.clear();
      agent.destroy();
    },
  };
}

export type Traffic = ReturnType<typeof startTraffic>;
