import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, call } from './access-harness.ts';
import { type Stack, startStack } from './harness.ts';

const proxy = '10.9.8.7';
const prometheusPassword = 'prom-password-never-shown';
const metricsToken = 'metrics-token-0123456789-0123456789';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: {
      AVIARY_TRUSTED_PROXIES: proxy,
      // Nothing listens on port 9: the Prometheus check fails, with credentials in its URL.
      AVIARY_PROMETHEUS_URL: `http://aviary:${prometheusPassword}@127.0.0.1:9/`,
      AVIARY_METRICS_TOKEN: metricsToken,
    },
  });
}, 60_000);
afterAll(async () => stack?.stop());

describe('security headers', () => {
  it('forbid framing and sniffing and send no referrer, on answers, errors and 401s alike', async () => {
    for (const [url, headers] of [
      ['/api/v1/rollouts', admin],
      ['/api/v1/rollouts', {}],
      ['/api/v1/no-such-route', admin],
      ['/healthz', {}],
    ] as const) {
      const res = await call(stack, 'GET', url, { headers });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toMatch(/frame-ancestors 'none'/);
      expect(csp, url).toMatch(/script-src 'self'(;|$)/);
      expect(csp, url).toMatch(/object-src 'none'/);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('send HSTS only on answers that went out over HTTPS', async () => {
    const plain = await call(stack, 'GET', '/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const viaTls = await call(stack, 'GET', '/healthz', {
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: proxy,
    });
    expect(viaTls.headers['strict-transport-security']).toMatch(/max-age=\d{7,}; includeSubDomains/);
    const spoofed = await call(stack, 'GET', '/healthz', {
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '192.0.2.1',
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('public probes', () => {
  it('/readyz names the unhealthy check and nothing more: no URL, no password', async () => {
    const res = await call(stack, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'not-ready',
      checks: { database: { ok: true }, cluster: { ok: true }, prometheus: { ok: false } },
    });
    expect(JSON.stringify(res.body)).not.toContain(prometheusPassword);
  });

  it('/metrics answers only with AVIARY_METRICS_TOKEN when it is set', async () => {
    const none = await call(stack, 'GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/AVIARY_METRICS_TOKEN/);
    const wrong = await call(stack, 'GET', '/metrics', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const adminToken = await call(stack, 'GET', '/metrics', { headers: admin });
    expect(adminToken.status).toBe(401);
    const right = await call(stack, 'GET', '/metrics', {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(right.status).toBe(200);
    expect(String(right.body)).toMatch(/aviary_http_requests_total/);
  });
});
