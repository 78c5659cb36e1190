import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, call, createToken, createUser, login, rawDb } from './access-harness.ts';
import { type Stack, startRollout, startStack } from './harness.ts';

const proxy = '10.9.8.7';
let stack: Stack;
// Every secret this file handles: none may show up in the audit trail.
const secrets: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: {
      AVIARY_TRUSTED_PROXIES: `${proxy}, 10.20.0.0/16`,
      AVIARY_GROUP_ROLES: 'release-managers=operator,sre=admin',
    },
  });
}, 60_000);
afterAll(async () => stack?.stop());

describe('first start', () => {
  it('asks for the first admin user when signed in with the bootstrap token, then not', async () => {
    const session = await login(stack, { token: 'test-admin-token-0123456789-abcdef' });
    secrets.push(session.cookie.split('=')[1] ?? '', session.csrfToken);
    expect(session.me).toMatchObject({ user: 'admin', role: 'admin', setupRequired: true });
    expect(session.setCookie).toMatch(/HttpOnly/);
    expect(session.setCookie).toMatch(/SameSite=Strict/);
    expect(session.setCookie).not.toMatch(/Secure/);
    const created = await call(stack, 'POST', '/api/v1/users', {
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: { username: 'Root', password: 'first admin password', role: 'admin' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'root', role: 'admin', createdBy: 'admin' });
    expect(created.body.passwordHash).toBeUndefined();
    secrets.push('first admin password');
    const me = await call(stack, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } });
    expect(me.body).toMatchObject({ user: 'admin', setupRequired: false });
  });

  it('marks the cookie Secure behind a trusted proxy that says HTTPS, and only then', async () => {
    const res = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'root', password: 'first admin password' },
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: proxy,
    });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    const spoofed = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'root', password: 'first admin password' },
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '192.0.2.1',
    });
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('login rate limiting', () => {
  it('makes an account wait a growing delay after 5 failures, then lets the right password in', async () => {
    const user = await createUser(stack, 'bob', 'operator');
    secrets.push(user.password, 'wrong-1', 'wrong-5');
    for (let i = 1; i <= 5; i++) {
      const res = await call(stack, 'POST', '/api/v1/auth/login', {
        payload: { username: 'bob', password: `wrong-${i}` },
        remoteAddress: `192.0.2.${i}`,
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid-credentials');
    }
    const waiting = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'bob', password: user.password },
      remoteAddress: '192.0.2.99',
    });
    expect(waiting.status).toBe(429);
    const retryAfter = Number(waiting.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(waiting.body.error.message).toMatch(/try again in \d+ s/);
    // Not a lockout: once the delay is over, the right password signs in.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    const later = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'bob', password: user.password },
      remoteAddress: '192.0.2.99',
    });
    expect(later.status).toBe(200);
  }, 60_000);

  it('counts a parallel burst before checking it: no more password checks than allowed', async () => {
    await createUser(stack, 'cleo', 'operator');
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(stack, 'POST', '/api/v1/auth/login', {
          payload: { username: 'cleo', password: `burst-${i}` },
          remoteAddress: `203.0.113.${i + 1}`,
        }),
      ),
    );
    const checked = burst.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    for (const r of burst) expect([401, 429]).toContain(r.status);
  });

  it('answers 429 to an address after 20 failures across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await call(stack, 'POST', '/api/v1/auth/login', {
        payload: { username: `nobody-${i}`, password: 'guess' },
        remoteAddress: '198.51.100.7',
      });
      expect(res.status).toBe(401);
    }
    const res = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'root', password: 'first admin password' },
      remoteAddress: '198.51.100.7',
    });
    expect(res.status).toBe(429);
    const elsewhere = await call(stack, 'POST', '/api/v1/auth/login', {
      payload: { username: 'root', password: 'first admin password' },
      remoteAddress: '198.51.100.8',
    });
    expect(elsewhere.status).toBe(200);
  }, 60_000);
});

describe('API tokens', () => {
  it('are revoked at once, with the sessions signed in with them', async () => {
    const created = await createToken(stack, 'operator', admin, 'ci');
    secrets.push(created.token);
    expect(created.token).toMatch(/^avt_/);
    const session = await login(stack, { token: created.token });
    expect(session.me).toMatchObject({ role: 'operator', via: 'session' });
    expect((await call(stack, 'GET', '/api/v1/rollouts', { headers: bearer(created.token) })).status).toBe(
      200,
    );
    const listed = await call(stack, 'GET', '/api/v1/tokens', { headers: admin });
    const mine = listed.body.items.find((t: { id: string }) => t.id === created.id);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(created.token);

    expect((await call(stack, 'DELETE', `/api/v1/tokens/${created.id}`, { headers: admin })).status).toBe(
      200,
    );
    const after = await call(stack, 'GET', '/api/v1/rollouts', { headers: bearer(created.token) });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
    expect(
      (await call(stack, 'GET', '/api/v1/rollouts', { headers: { cookie: session.cookie } })).status,
    ).toBe(401);
  });

  it('never carry a role above their owner’s, and are listed only to their owner', async () => {
    const carol = await createUser(stack, 'carol', 'viewer');
    const session = await login(stack, { username: 'carol', password: carol.password });
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    const tooHigh = await call(stack, 'POST', '/api/v1/tokens', {
      headers,
      payload: { name: 'x', role: 'operator' },
    });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.body.error.code).toBe('role-above-owner');
    const own = await createToken(stack, 'viewer', headers, 'carol-cli');
    secrets.push(own.token);
    const listed = await call(stack, 'GET', '/api/v1/tokens', { headers });
    expect(listed.body.items.map((t: { owner: string }) => t.owner)).toEqual(['carol']);
    // Deleting carol ends her session and her token at once.
    expect((await call(stack, 'DELETE', `/api/v1/users/${carol.id}`, { headers: admin })).status).toBe(204);
    expect(
      (await call(stack, 'GET', '/api/v1/auth/me', { headers: { cookie: session.cookie } })).status,
    ).toBe(401);
    expect((await call(stack, 'GET', '/api/v1/auth/me', { headers: bearer(own.token) })).status).toBe(401);
  });
});

describe('trusted-header single sign-on', () => {
  const sso = { 'x-forwarded-user': 'dana', 'x-forwarded-groups': 'staff,release-managers' };

  it('is ignored from an address that is not a trusted proxy', async () => {
    const res = await call(stack, 'GET', '/api/v1/auth/me', { headers: sso, remoteAddress: '10.9.8.8' });
    expect(res.status).toBe(401);
    const admins = { 'x-forwarded-user': 'eve', 'x-forwarded-groups': 'sre' };
    const post = await call(stack, 'PUT', '/api/v1/settings', {
      headers: admins,
      payload: { anonymousRead: true },
      remoteAddress: '192.0.2.50',
    });
    expect(post.status).toBe(401);
  });

  it('is honoured from a trusted proxy, with roles from groups and a CSRF token for changes', async () => {
    const me = await call(stack, 'GET', '/api/v1/auth/me', { headers: sso, remoteAddress: '10.20.3.4' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: 'dana', role: 'operator', via: 'proxy' });
    const noCsrf = await call(stack, 'POST', '/api/v1/rollouts', {
      headers: sso,
      payload: {},
      remoteAddress: proxy,
    });
    expect(noCsrf.status).toBe(403);
    const withCsrf = await call(stack, 'POST', '/api/v1/rollouts', {
      headers: { ...sso, 'x-csrf-token': me.body.csrfToken },
      payload: {},
      remoteAddress: proxy,
    });
    expect(withCsrf.status).toBe(400);
    const none = await call(stack, 'GET', '/api/v1/auth/me', {
      headers: { 'x-forwarded-user': 'frank', 'x-forwarded-groups': 'staff' },
      remoteAddress: proxy,
    });
    expect(none.status).toBe(403);
    expect(none.body.error.message).toMatch(/AVIARY_GROUP_ROLES/);
  });
});

describe('anonymous read-only access', () => {
  it('is off by default, and an admin can turn it on for reads only', async () => {
    expect((await call(stack, 'GET', '/api/v1/rollouts')).status).toBe(401);
    const on = await call(stack, 'PUT', '/api/v1/settings', {
      headers: admin,
      payload: { anonymousRead: true },
    });
    expect(on.body).toEqual({ anonymousRead: true });
    expect((await call(stack, 'GET', '/api/v1/rollouts')).status).toBe(200);
    expect((await call(stack, 'GET', '/api/v1/auth/me')).body).toMatchObject({ user: null, role: 'viewer' });
    expect((await call(stack, 'GET', '/api/v1/tokens')).status).toBe(401);
    expect((await call(stack, 'POST', '/api/v1/rollouts', { payload: {} })).status).toBe(401);
    await call(stack, 'PUT', '/api/v1/settings', { headers: admin, payload: { anonymousRead: false } });
    expect((await call(stack, 'GET', '/api/v1/rollouts')).status).toBe(401);
  });
});

describe('audit', () => {
  it('records rollout actions with actor, role, address and before/after', async () => {
    const operator = await createToken(stack, 'operator', admin, 'deployer');
    secrets.push(operator.token);
    stack.api = (
      (orig) => (m, p, b, h) =>
        orig(m, p, b, { ...bearer(operator.token), ...h })
    )(stack.api);
    const rollout = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:9.9.9', {
      reason: 'audit me',
    });
    const rolled = await call(stack, 'POST', `/api/v1/rollouts/${rollout.id}/actions`, {
      headers: bearer(operator.token),
      payload: { type: 'rollback', reason: 'seen enough' },
    });
    expect(rolled.status).toBeLessThan(300);
    const res = await call(stack, 'GET', `/api/v1/audit?action=rollout-action`, { headers: admin });
    expect(res.body.items[0]).toMatchObject({
      actor: 'admin',
      role: 'operator',
      sourceAddress: '127.0.0.1',
      subject: `rollout/${rollout.id}`,
      before: { phase: 'progressing', weight: 1 },
      after: { phase: 'rolled-back', weight: 0, request: { type: 'rollback' } },
      reason: 'seen enough',
    });
  });

  it('lists logins, failures, tokens, users and settings, exports CSV, and holds no secret', async () => {
    const all = await call(stack, 'GET', '/api/v1/audit?limit=1000', { headers: admin });
    const actions = new Set(all.body.items.map((r: { action: string }) => r.action));
    for (const a of [
      'login',
      'login-failed',
      'token-created',
      'token-revoked',
      'user-created',
      'user-deleted',
      'settings-changed',
      'rollout-started',
    ])
      expect(actions, a).toContain(a);
    const text = JSON.stringify(all.body);
    for (const secret of [...secrets, 'test-admin-token-0123456789-abcdef'])
      expect(text).not.toContain(secret);
    const failures = await call(stack, 'GET', '/api/v1/audit?action=login-failed&actor=bob', {
      headers: admin,
    });
    expect(failures.body.items).toHaveLength(5);
    const page = await call(stack, 'GET', '/api/v1/audit?limit=2', { headers: admin });
    const next = await call(stack, 'GET', `/api/v1/audit?limit=2&cursor=${page.body.nextCursor}`, {
      headers: admin,
    });
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
    const csv = await call(stack, 'GET', '/api/v1/audit?format=csv&action=user-created', { headers: admin });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(String(csv.body).split('\r\n')[0]).toBe(
      '"id","at","actor","role","sourceAddress","action","subject","before","after","reason"',
    );
    expect(String(csv.body)).toContain('user/bob');
  });

  it('cannot be changed or deleted, even from a database shell', () => {
    const db = rawDb(stack);
    try {
      expect(() => db.sqlite.prepare("UPDATE audit SET actor = 'nobody'").run()).toThrow(/append-only/);
      expect(() => db.sqlite.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});
