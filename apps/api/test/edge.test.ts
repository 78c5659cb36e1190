import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../src/env.ts';
import { startServer } from '../src/run.ts';
import { admin, bearer, call, createToken } from './access-harness.ts';
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
// The last tests restart the server: stop the one running now, then the rest of the stack.
afterAll(async () => {
  await stack?.server.stop();
  await stack?.stop();
});

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

describe('API tokens made with tokens', () => {
  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const make = (as: Record<string, string>, payload: Record<string, unknown>) =>
    call(stack, 'POST', '/api/v1/tokens', { headers: as, payload: { role: 'viewer', ...payload } });

  it('cannot outlive the token that makes them; without an expiry they get its expiry', async () => {
    const parent = await make(admin, { name: 'parent', expiresAt: inHours(1) });
    expect(parent.status).toBe(201);
    const longer = await make(bearer(parent.body.token), { name: 'longer', expiresAt: inHours(2) });
    expect(longer.status).toBe(400);
    expect(longer.body.error).toMatchObject({ code: 'invalid-request', field: 'expiresAt' });
    expect(longer.body.error.message).toMatch(/cannot outlive/);
    const child = await make(bearer(parent.body.token), { name: 'unbounded' });
    expect(child.status).toBe(201);
    const list = await call(stack, 'GET', '/api/v1/tokens', { headers: admin });
    const expiry = (id: string) => list.body.items.find((t: { id: string }) => t.id === id)?.expiresAt;
    expect(expiry(child.body.id)).toBe(expiry(parent.body.id));
  });

  it('are revoked with their parent, all the way down', async () => {
    const parent = await make(admin, { name: 'p', role: 'operator' });
    const child = await make(bearer(parent.body.token), { name: 'c' });
    const grandchild = await make(bearer(child.body.token), { name: 'g' });
    expect(grandchild.status).toBe(201);
    const me = (t: string) => call(stack, 'GET', '/api/v1/auth/me', { headers: bearer(t) });
    expect((await me(grandchild.body.token)).status).toBe(200);
    const revoked = await call(stack, 'DELETE', `/api/v1/tokens/${parent.body.id}`, { headers: admin });
    expect(revoked.status).toBe(200);
    expect((await me(child.body.token)).status).toBe(401);
    expect((await me(grandchild.body.token)).status).toBe(401);
  });
});

// Last: these restart the server with another bootstrap token on the same database.
describe('the bootstrap token', () => {
  const restart = async (env: Record<string, string>) => {
    await stack.server.stop();
    stack.server = await startServer(readEnv({ ...stack.env, ...env }, {}));
  };

  it('must be at least 32 characters', () => {
    expect(() => readEnv({ AVIARY_ADMIN_TOKEN: 'x'.repeat(31) }, {})).toThrow(/at least 32 characters/);
    expect(readEnv({ AVIARY_ADMIN_TOKEN: 'x'.repeat(32) }, {}).AVIARY_ADMIN_TOKEN).toHaveLength(32);
  });

  it('ends the tokens made with it when it rotates, and can be turned off once an admin user exists', async () => {
    const made = await createToken(stack, 'operator', admin, 'made-with-bootstrap');
    const rotated = 'rotated-admin-token-0123456789-abcdef';
    await restart({ AVIARY_ADMIN_TOKEN: rotated });
    const me = (headers: Record<string, string>) => call(stack, 'GET', '/api/v1/auth/me', { headers });
    const old = await me(bearer(made.token));
    expect(old.status).toBe(401);
    expect(old.body.error.message).toMatch(/AVIARY_ADMIN_TOKEN that has since changed/);
    expect((await me(bearer(rotated))).status).toBe(200);

    // Turned off: still usable while there is no admin user, not once there is one.
    await restart({ AVIARY_ADMIN_TOKEN: rotated, AVIARY_ADMIN_TOKEN_DISABLED: '1' });
    expect((await me(bearer(rotated))).status).toBe(200);
    const root = await call(stack, 'POST', '/api/v1/users', {
      headers: bearer(rotated),
      payload: { username: 'root', password: 'root password 0123', role: 'admin' },
    });
    expect(root.status).toBe(201);
    const off = await me(bearer(rotated));
    expect(off.status).toBe(401);
    expect(off.body.error.message).toMatch(/AVIARY_ADMIN_TOKEN_DISABLED/);
  });
});
