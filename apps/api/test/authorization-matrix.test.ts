import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, admin, bearer, call, createToken, createUser, login, rawDb } from './access-harness.ts';
import { type Stack, startStack } from './harness.ts';

// Every mutating route, with the role it must demand and a request that would pass
// authorization without changing anything (an invalid body, an unknown id). A route added
// without an entry here fails the first test.
const mutating: Record<
  string,
  { access: 'public' | 'viewer' | 'operator' | 'admin'; url: string; payload?: unknown }
> = {
  'POST /api/v1/rollouts': { access: 'operator', url: '/api/v1/rollouts', payload: {} },
  'POST /api/v1/rollouts/:id/actions': {
    access: 'operator',
    url: '/api/v1/rollouts/nope/actions',
    payload: {},
  },
  'PUT /api/v1/targets/:namespace/:service/profile': {
    access: 'admin',
    url: '/api/v1/targets/shop/checkout/profile',
    payload: { bakeSeconds: 'soon' },
  },
  'PUT /api/v1/targets/:namespace/:service/policy': {
    access: 'admin',
    url: '/api/v1/targets/shop/checkout/policy',
    payload: { requireApproval: 'yes' },
  },
  'POST /api/v1/approvals/:id/approve': { access: 'operator', url: '/api/v1/approvals/nope/approve' },
  'POST /api/v1/approvals/:id/withdraw': { access: 'operator', url: '/api/v1/approvals/nope/withdraw' },
  'POST /api/v1/tokens': { access: 'viewer', url: '/api/v1/tokens', payload: {} },
  'DELETE /api/v1/tokens/:id': { access: 'viewer', url: '/api/v1/tokens/nope' },
  'POST /api/v1/users': { access: 'admin', url: '/api/v1/users', payload: {} },
  'DELETE /api/v1/users/:id': { access: 'admin', url: '/api/v1/users/nope' },
  'PUT /api/v1/settings': { access: 'admin', url: '/api/v1/settings', payload: {} },
  'POST /api/v1/auth/login': { access: 'public', url: '/api/v1/auth/login', payload: {} },
  'POST /api/v1/auth/logout': { access: 'public', url: '/api/v1/auth/logout' },
};

type Outcome = 'unauthenticated' | 'forbidden' | 'csrf' | 'allowed';
const rank = { viewer: 1, operator: 2, admin: 3 } as const;

let stack: Stack;
const callers: Record<
  string,
  { headers: Record<string, string>; role?: keyof typeof rank; broken?: Outcome }
> = {};

beforeAll(async () => {
  stack = await startStack();
  const tokens = {
    viewer: await createToken(stack, 'viewer'),
    operator: await createToken(stack, 'operator'),
    admin: await createToken(stack, 'admin'),
  };
  const revoked = await createToken(stack, 'admin', admin, 'revoked');
  expect((await call(stack, 'DELETE', `/api/v1/tokens/${revoked.id}`, { headers: admin })).status).toBe(200);

  const alice = await createUser(stack, 'alice', 'admin');
  const aliceSession = await login(stack, { username: 'alice', password: alice.password });
  const stale = await createUser(stack, 'stale', 'admin');
  const staleSession = await login(stack, { username: 'stale', password: stale.password });
  const db = rawDb(stack);
  db.sqlite
    .prepare("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z' WHERE actor = 'stale'")
    .run();
  db.close();

  callers['no credentials'] = { headers: {}, broken: 'unauthenticated' };
  callers['bad token'] = { headers: bearer('avt_not-a-token'), broken: 'unauthenticated' };
  callers['revoked token'] = { headers: bearer(revoked.token), broken: 'unauthenticated' };
  callers['expired session'] = {
    headers: { cookie: staleSession.cookie, 'x-csrf-token': staleSession.csrfToken },
    broken: 'unauthenticated',
  };
  callers['cookie session without CSRF token'] = { headers: { cookie: aliceSession.cookie }, broken: 'csrf' };
  callers['viewer token'] = { headers: bearer(tokens.viewer.token), role: 'viewer' };
  callers['operator token'] = { headers: bearer(tokens.operator.token), role: 'operator' };
  callers['admin token'] = { headers: bearer(tokens.admin.token), role: 'admin' };
  callers['admin cookie session with CSRF token'] = {
    headers: { cookie: aliceSession.cookie, 'x-csrf-token': aliceSession.csrfToken },
    role: 'admin',
  };
}, 60_000);
afterAll(async () => stack?.stop());

function outcome(res: Reply): Outcome {
  if (res.status === 401) return 'unauthenticated';
  if (res.status === 403) return res.body?.error?.code === 'csrf-token-invalid' ? 'csrf' : 'forbidden';
  return 'allowed';
}

describe('the route table', () => {
  it('lists every mutating route with the role this test expects', () => {
    const declared = Object.fromEntries(
      stack.server.app.routeAccess
        .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
        .map((r) => [`${r.method} ${r.url}`, r.access]),
    );
    expect(declared).toEqual(Object.fromEntries(Object.entries(mutating).map(([k, v]) => [k, v.access])));
  });

  it('guards every read of the API with a role; only health, info, docs and the dashboard are public', () => {
    const publicReads = stack.server.app.routeAccess
      .filter((r) => r.access === 'public' && r.method === 'GET' && r.url.startsWith('/api/v1/'))
      .map((r) => r.url);
    expect(publicReads).toEqual(['/api/v1/info']);
  });
});

describe('authorization matrix', () => {
  for (const [route, spec] of Object.entries(mutating)) {
    it(`${route} (${spec.access})`, async () => {
      const method = route.split(' ')[0] ?? '';
      const got: Record<string, Outcome> = {};
      const want: Record<string, Outcome> = {};
      for (const [who, caller] of Object.entries(callers)) {
        const res = await call(stack, method, spec.url, { headers: caller.headers, payload: spec.payload });
        got[who] = outcome(res);
        want[who] =
          spec.access === 'public'
            ? 'allowed'
            : (caller.broken ??
              (rank[caller.role ?? 'viewer'] >= rank[spec.access] ? 'allowed' : 'forbidden'));
        if (got[who] !== 'allowed') {
          expect(res.body.error.message, `${who}: the error says what to do`).toMatch(
            /sign in|send|ask|create|use/,
          );
        } else {
          expect(res.status, `${who}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        }
      }
      expect(got).toEqual(want);
    });
  }
});
