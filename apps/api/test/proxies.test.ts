import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, call, createUser, login } from './access-harness.ts';
import { type Stack, startStack } from './harness.ts';

// A load balancer whose X-Forwarded-* are believed, and an authenticating proxy behind it whose
// identity headers are believed: two different trusts.
const balancer = '10.1.0.1';
const identityProxy = '10.2.0.2';
let stack: Stack;
let forced: Stack;

beforeAll(async () => {
  [stack, forced] = await Promise.all([
    startStack({
      env: {
        AVIARY_TRUSTED_PROXIES: balancer,
        AVIARY_TRUSTED_IDENTITY_PROXIES: identityProxy,
        AVIARY_GROUP_ROLES: 'sre=admin,staff=viewer',
        AVIARY_TOKEN_FAILURES_PER_ADDRESS: '3',
      },
    }),
    startStack({ env: { AVIARY_SECURE_COOKIES: '1' } }),
  ]);
  await createUser(stack, 'carol', 'operator', 'carol password 123');
  await createUser(forced, 'carol', 'operator', 'carol password 123');
}, 90_000);
afterAll(async () => Promise.all([stack?.stop(), forced?.stop()]));

const sso = { 'x-forwarded-user': 'dana', 'x-forwarded-groups': 'sre' };

describe('separate forwarding and identity proxies', () => {
  it('believes identity headers only from AVIARY_TRUSTED_IDENTITY_PROXIES', async () => {
    const fromBalancer = await call(stack, 'GET', '/api/v1/auth/me', {
      headers: sso,
      remoteAddress: balancer,
    });
    expect(fromBalancer.status).toBe(401);
    const fromProxy = await call(stack, 'GET', '/api/v1/auth/me', {
      headers: sso,
      remoteAddress: identityProxy,
    });
    expect(fromProxy.status).toBe(200);
    expect(fromProxy.body).toMatchObject({ user: 'dana', role: 'admin', via: 'proxy' });
  });

  it('believes X-Forwarded-Proto only from AVIARY_TRUSTED_PROXIES', async () => {
    const payload = { username: 'carol', password: 'carol password 123' };
    const https = { 'x-forwarded-proto': 'https' };
    const viaBalancer = await call(stack, 'POST', '/api/v1/auth/login', {
      payload,
      headers: https,
      remoteAddress: balancer,
    });
    expect(String(viaBalancer.headers['set-cookie'])).toMatch(/; Secure/);
    const viaIdentity = await call(stack, 'POST', '/api/v1/auth/login', {
      payload,
      headers: https,
      remoteAddress: identityProxy,
    });
    expect(String(viaIdentity.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('refuses a repeated identity header instead of joining the values', async () => {
    for (const header of ['x-forwarded-user', 'x-forwarded-groups']) {
      const twice = { ...sso, [header]: [sso[header as keyof typeof sso], 'staff'] };
      const res = await call(stack, 'GET', '/api/v1/auth/me', {
        headers: twice as unknown as Record<string, string>,
        remoteAddress: identityProxy,
      });
      expect(res.status, header).toBe(400);
      expect(res.body.error.code).toBe('invalid-request');
      expect(res.body.error.message).toContain(header);
    }
  });
});

describe('Secure session cookies', () => {
  it('are named __Host-aviary_session with Path=/ and no Domain over HTTPS, and accepted under that name', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const res = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'carol', password: 'carol password 123' },
      headers: https,
      remoteAddress: balancer,
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-aviary_session=[^;]+; Path=\/;/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await call(stack, 'GET', '/api/v1/auth/me', {
      headers: { ...https, cookie },
      remoteAddress: balancer,
    });
    expect(me.body).toMatchObject({ user: 'carol', via: 'session' });
    // The same secret under the unprefixed name (which a sibling subdomain could set) is not read.
    const planted = await call(stack, 'GET', '/api/v1/auth/me', {
      headers: { ...https, cookie: cookie.replace('__Host-', '') },
      remoteAddress: balancer,
    });
    expect(planted.status).toBe(401);
  });

  it('are always Secure with AVIARY_SECURE_COOKIES=1, even over plain HTTP', async () => {
    const session = await login(forced, { username: 'carol', password: 'carol password 123' });
    expect(session.setCookie).toMatch(/^__Host-aviary_session=[^;]+; Path=\//);
    expect(session.setCookie).toMatch(/; Secure/);
    const me = await call(forced, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } });
    expect(me.body).toMatchObject({ user: 'carol', via: 'session' });
    const logout = await call(forced, 'POST', '/api/v1/auth/logout', { headers: { cookie: session.cookie } });
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^__Host-aviary_session=; Path=\/;.*Max-Age=0; Secure/,
    );
    const after = await call(forced, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } });
    expect(after.status).toBe(401);
    expect((await call(forced, 'GET', '/api/v1/auth/me', { headers: admin })).status).toBe(200);
  });
});

describe('refused bearer tokens', () => {
  it('make the client address wait (429, Retry-After) after AVIARY_TOKEN_FAILURES_PER_ADDRESS, even with a good token', async () => {
    // Behind the balancer the client address comes from X-Forwarded-For.
    const from = (client: string, headers: Record<string, string>) => ({
      headers: { ...headers, 'x-forwarded-for': client },
      remoteAddress: balancer,
    });
    for (let i = 0; i < 3; i++) {
      const res = await call(
        stack,
        'GET',
        '/api/v1/rollouts',
        from('198.51.100.7', bearer(`avt_guess_${i}`)),
      );
      expect(res.status).toBe(401);
    }
    const limited = await call(stack, 'GET', '/api/v1/rollouts', from('198.51.100.7', bearer('avt_guess_3')));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too-many-attempts');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const good = await call(stack, 'GET', '/api/v1/rollouts', from('198.51.100.7', admin));
    expect(good.status).toBe(429);
    // Another address is not held back.
    expect((await call(stack, 'GET', '/api/v1/rollouts', from('198.51.100.8', admin))).status).toBe(200);
  });
});
