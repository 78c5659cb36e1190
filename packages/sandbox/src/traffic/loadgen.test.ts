import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../workloads/catalogue.ts';
import { startTraffic } from './loadgen.ts';

interface Seen {
  method: string;
  path: string;
  sid: string | undefined;
  source: string | undefined;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.useRealTimers();
});

/** A stand-in mesh proxy: gives each new visitor a session cookie and records what arrives. */
async function shop(): Promise<{ address: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let sessions = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    const sid = /(?:^|; )sid=(\d+)/.exec(req.headers.cookie ?? '')?.[1];
    const source = req.headers['x-aviary-source'];
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      sid,
      source: Array.isArray(source) ? source[0] : source,
    });
    if (!sid) res.setHeader('set-cookie', `sid=${++sessions}; Max-Age=60; Path=/`);
    res.writeHead(req.url === '/cart' ? 500 : 200).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The generator's clock (its ticks and `performance.now()`) moves only when `advance` says, so
 * counts follow its schedule, not how busy the machine is. Timeouts stay real: the requests are.
 */
function handClock() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  return {
    /** Moves `ms` on, a tick at a time, and lets each tick's requests be answered before the next. */
    async advance(ms: number, answered: () => boolean): Promise<void> {
      for (let t = 0; t < ms; t += 10) {
        vi.advanceTimersByTime(10);
        const deadline = Date.now() + 10_000;
        while (!answered()) {
          if (Date.now() > deadline) throw new Error('the stand-in shop stopped answering');
          await sleep(1);
        }
      }
    },
  };
}

const allAnswered =
  (traffic: { stats(): Record<string, { sent: number; ok: number; failed: number }> }) => () =>
    Object.values(traffic.stats()).every((s) => s.ok + s.failed === s.sent);

describe('load generator', () => {
  it('sends a steady rate as cookie-keeping sessions, some ending in a checkout', async () => {
    const { address, seen } = await shop();
    const clock = handClock();
    const traffic = startTraffic({
      mesh: { addressOf: (ns, svc) => (ns === 'shop' && svc === 'checkout' ? address : undefined) },
      services: [{ namespace: 'shop', service: 'checkout', rps: 200 }],
      checkoutShare: 0.5,
      random: seededRandom(3),
    });
    cleanups.push(() => traffic.stop());
    await clock.advance(1000, allAnswered(traffic));
    expect(seen).toHaveLength(200);
    const stats = traffic.stats()['shop/checkout']!;
    expect(stats.sent).toBe(200);
    expect(stats.failed).toBeGreaterThan(0);
    expect(stats.ok + stats.failed).toBe(stats.sent);
    expect(seen.every((s) => s.source === 'loadgen')).toBe(true);

    // Each session: one request without the cookie, then its later ones carry it.
    const bySession = new Map<string, Seen[]>();
    for (const s of seen) if (s.sid) bySession.set(s.sid, [...(bySession.get(s.sid) ?? []), s]);
    const fresh = seen.filter((s) => !s.sid).length;
    expect(bySession.size).toBeGreaterThan(0.5 * fresh);
    for (const requests of bySession.values()) expect(requests.length).toBeLessThanOrEqual(5);
    const finished = [...bySession.values()].filter((r) => r.length >= 2);
    const withCheckout = finished.filter((r) => r.some((s) => s.method === 'POST' && s.path === '/checkout'));
    expect(withCheckout.length / finished.length).toBeGreaterThan(0.25);
    expect(withCheckout.length / finished.length).toBeLessThan(0.75);
    expect(seen.filter((s) => s.method === 'GET').length).toBeGreaterThan(seen.length / 2);
  });

  it('spreads requests evenly over time', async () => {
    const { address, seen } = await shop();
    const clock = handClock();
    const stamps: number[] = [];
    const traffic = startTraffic({
      mesh: {
        addressOf: () => {
          stamps.push(performance.now());
          return address;
        },
      },
      services: [{ namespace: 'shop', service: 'checkout', rps: 100 }],
    });
    cleanups.push(() => traffic.stop());
    await clock.advance(1000, allAnswered(traffic));
    expect(seen).toHaveLength(100);
    const t0 = stamps[0]!;
    const windows = Array.from(
      { length: 10 },
      (_, i) => stamps.filter((t) => t >= t0 + i * 100 && t < t0 + (i + 1) * 100).length,
    );
    expect(windows).toEqual(Array(10).fill(10));
  });

  it('setRate changes the rate at once; 0 stops a service; stop() ends everything', async () => {
    const { address, seen } = await shop();
    const clock = handClock();
    const traffic = startTraffic({
      mesh: { addressOf: () => address },
      services: [{ namespace: 'shop', service: 'checkout', rps: 20 }],
    });
    cleanups.push(() => traffic.stop());
    traffic.setRate('shop', 'checkout', 300);
    await clock.advance(500, allAnswered(traffic));
    expect(seen).toHaveLength(150);
    traffic.setRate('shop', 'checkout', 0);
    await clock.advance(200, allAnswered(traffic));
    expect(seen).toHaveLength(150);
    traffic.setRate('shop', 'checkout', 100);
    await traffic.stop();
    vi.advanceTimersByTime(100);
    await sleep(50);
    expect(seen).toHaveLength(150);
  });

  it('only targets loopback addresses the mesh gives it', async () => {
    const asked: string[] = [];
    const traffic = startTraffic({
      mesh: {
        addressOf: (ns, svc) => {
          asked.push(`${ns}/${svc}`);
          return '10.0.0.1:80';
        },
      },
      services: [{ namespace: 'shop', service: 'checkout' }],
    });
    cleanups.push(() => traffic.stop());
    await sleep(100);
    expect(asked.length).toBeGreaterThan(2);
    expect(traffic.stats()['shop/checkout']).toEqual({ sent: 0, ok: 0, failed: 0 });
  });
});
