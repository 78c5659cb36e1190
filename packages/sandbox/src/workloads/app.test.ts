import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from './app.ts';
import { seededRandom } from './catalogue.ts';

const apps: RunningApp[] = [];
const agent = new Agent({ keepAlive: true, maxSockets: 50 });

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close({ force: true })));
});

async function start(image: string, latencyScale = 0): Promise<RunningApp> {
  const app = await startApp({ image, pod: 'checkout-abc-xyz12', random: seededRandom(1), latencyScale });
  apps.push(app);
  return app;
}

function call(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function many(
  port: number,
  n: number,
  method = 'GET',
  path = '/',
): Promise<{ status: number; body: string }[]> {
  const out: { status: number; body: string }[] = [];
  for (let i = 0; i < n; i += 100) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => call(port, method, path)))),
    );
  }
  return out;
}

const errorShare = (replies: { status: number }[]) =>
  replies.filter((r) => r.status >= 500).length / replies.length;

describe('demo app', () => {
  it('answers any GET path with who it is', async () => {
    const app = await start('registry.local/shop/checkout:1.0.0');
    const replies = await many(app.port, 20, 'GET', '/products/7?x=1');
    const ok = replies.find((r) => r.status === 200)!;
    expect(JSON.parse(ok.body)).toEqual({
      service: 'checkout',
      version: '1.0.0',
      pod: 'checkout-abc-xyz12',
      image: 'registry.local/shop/checkout:1.0.0',
    });
  });

  it.each([
    ['registry.local/shop/checkout:1.1.0-errors', 0.06, 0.1],
    ['registry.local/shop/checkout:1.1.0-flaky', 0.008, 0.025],
    ['registry.local/shop/checkout:1.0.0', 0, 0.006],
  ])('%s fails a share of requests within tolerance', async (image, min, max) => {
    const app = await start(image);
    const share = errorShare(await many(app.port, 3000));
    expect(share).toBeGreaterThanOrEqual(min);
    expect(share).toBeLessThanOrEqual(max);
  });

  it.each([
    ['registry.local/shop/checkout:1.0.0', 0.55, 0.65],
    ['registry.local/shop/checkout:1.1.0-lowconv', 0.37, 0.47],
  ])('%s converts checkouts at its rate and counts them on /metrics', async (image, min, max) => {
    const app = await start(image);
    const replies = (await many(app.port, 2000, 'POST', '/checkout')).filter((r) => r.status === 200);
    const completed = replies.filter((r) => JSON.parse(r.body).checkout === 'completed').length;
    expect(completed / replies.length).toBeGreaterThanOrEqual(min);
    expect(completed / replies.length).toBeLessThanOrEqual(max);

    const metrics = (await call(app.port, 'GET', '/metrics')).body;
    expect(metrics).toContain(`shop_checkouts_started_total ${replies.length}`);
    expect(metrics).toContain(`shop_checkouts_completed_total ${completed}`);
  });

  it('takes about 30 ms per request at full latency; /healthz answers at once', async () => {
    const app = await start('registry.local/shop/checkout:1.0.0', 1);
    const timed = async () => {
      const t0 = performance.now();
      await call(app.port, 'GET', '/');
      return performance.now() - t0;
    };
    const times = (await Promise.all(Array.from({ length: 60 }, timed))).sort((a, b) => a - b);
    const median = times[30]!;
    // The simulated latency is applied (its distribution is tested on the pure sampler in
    // catalogue.test.ts); a busy machine can only add to it, so only the floor is checked here.
    expect(median).toBeGreaterThan(22);
    const h0 = performance.now();
    expect((await call(app.port, 'GET', '/healthz')).status).toBe(200);
    // /healthz does not sleep: it answers well inside a shop request's simulated time.
    expect(performance.now() - h0).toBeLessThan(median / 2);
  });

  it('rejects other methods with 405', async () => {
    const app = await start('registry.local/shop/checkout:1.0.0');
    expect((await call(app.port, 'DELETE', '/')).status).toBe(405);
  });

  it('close() frees the port', async () => {
    const app = await startApp({ image: 'registry.local/shop/checkout:1.0.0', pod: 'p' });
    await app.close();
    await expect(call(app.port, 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
