import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, admin, bearer, call, createToken, createUser, login, rawDb } from './access-harness.ts';
import { type Stack, clusterWeights, settled, startRollout, startStack, waitFor } from './harness.ts';

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
  // Every route is called with bad tokens from one address: no growing delay for them here.
  stack = await startStack({ env: { AVIARY_TOKEN_FAILURES_PER_ADDRESS: '1000000' } });
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

// Every path that can put traffic on a canary, under each kind of target policy. A path "goes"
// (200/201), is "held" for a second operator (202 with a pending approval), is "frozen" (409
// change-frozen), "needs-approval" (409 approval-required: a start cannot wait for one) or is
// "invalid" (400). A refused path changes nothing in the cluster.
type Verdict = 'goes' | 'held' | 'frozen' | 'needs-approval' | 'invalid';
type Policy = 'no policy' | 'two-person rule' | 'freeze window';
const override = { override: true, reason: 'no metrics in this test' };
const startPaths: Record<string, { steps: number[]; want: Record<Policy, Verdict> }> = {
  'start with a first step of 100%': {
    steps: [100],
    want: { 'no policy': 'invalid', 'two-person rule': 'invalid', 'freeze window': 'invalid' },
  },
  'start at the promotion threshold (50%)': {
    steps: [50, 100],
    want: { 'no policy': 'goes', 'two-person rule': 'needs-approval', 'freeze window': 'frozen' },
  },
  'start below the promotion threshold (25%)': {
    steps: [25, 50, 100],
    want: { 'no policy': 'goes', 'two-person rule': 'goes', 'freeze window': 'frozen' },
  },
};
// Each from a rollout at 25% with steps [25, 50, 100]; promote last, as it ends the rollout.
const actionPaths: Record<string, { action: Record<string, unknown>; want: Record<Policy, Verdict> }> = {
  'set-weight below the threshold (40%)': {
    action: { type: 'set-weight', weight: 40, ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'goes', 'freeze window': 'goes' },
  },
  'step to the threshold (50%)': {
    action: { type: 'step', ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'held', 'freeze window': 'frozen' },
  },
  'set-weight to the threshold (50%)': {
    action: { type: 'set-weight', weight: 50, ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'held', 'freeze window': 'frozen' },
  },
  'set-weight to 99%': {
    action: { type: 'set-weight', weight: 99, ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'held', 'freeze window': 'frozen' },
  },
  'set-weight to 100%': {
    action: { type: 'set-weight', weight: 100, ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'held', 'freeze window': 'frozen' },
  },
  promote: {
    action: { type: 'promote', ...override },
    want: { 'no policy': 'goes', 'two-person rule': 'held', 'freeze window': 'frozen' },
  },
};

/** A weekly window from an hour ago to two hours ahead, in UTC. */
function coveringNow() {
  const at = (ms: number) => {
    const d = new Date(Date.now() + ms);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d.getUTCDay()];
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    return { day, time: `${hh}:${mm}` };
  };
  return { timezone: 'UTC', start: at(-3_600_000), end: at(7_200_000), reason: 'matrix freeze' };
}

function verdict(res: Reply): Verdict | string {
  if (res.status === 200 || res.status === 201) return 'goes';
  if (res.status === 202 && res.body?.approval?.status === 'pending') return 'held';
  if (res.status === 400) return 'invalid';
  if (res.status === 409 && res.body?.error?.code === 'change-frozen') return 'frozen';
  if (res.status === 409 && res.body?.error?.code === 'approval-required') return 'needs-approval';
  return `${res.status} ${JSON.stringify(res.body)}`;
}

describe('guardrails on every path to traffic, under each policy', () => {
  const targets: Record<Policy, { service: string; policy: Record<string, unknown> }> = {
    'no policy': { service: 'checkout', policy: {} },
    'two-person rule': { service: 'catalog', policy: { requireApproval: true } },
    'freeze window': { service: 'payments', policy: { freezeWindows: [coveringNow()] } },
  };
  const putPolicy = async (service: string, policy: unknown) =>
    expect(
      (
        await call(stack, 'PUT', `/api/v1/targets/shop/${service}/policy`, {
          headers: admin,
          payload: policy,
        })
      ).status,
    ).toBe(200);
  const start = (service: string, steps: number[]) =>
    call(stack, 'POST', '/api/v1/rollouts', {
      headers: admin,
      payload: { namespace: 'shop', service, image: `registry.local/shop/${service}:9.0.0`, steps },
    });
  const rollBack = async (id: string) => {
    expect(
      (
        await call(stack, 'POST', `/api/v1/rollouts/${id}/actions`, {
          headers: admin,
          payload: { type: 'rollback', reason: 'next path' },
        })
      ).status,
    ).toBe(200);
    await settled(stack, id);
  };

  for (const [policyName, target] of Object.entries(targets) as [Policy, (typeof targets)[Policy]][]) {
    it(policyName, async () => {
      const { service } = target;
      const got: Record<string, Verdict | string> = {};
      const want: Record<string, Verdict> = {};
      await putPolicy(service, target.policy);

      for (const [name, path] of Object.entries(startPaths)) {
        const before = await clusterWeights(stack, service);
        const res = await start(service, path.steps);
        got[name] = verdict(res);
        want[name] = path.want[policyName];
        if (res.status === 201) {
          await waitFor(
            async () =>
              (await call(stack, 'GET', `/api/v1/rollouts/${res.body.id}`, { headers: admin })).body
                .operation === null,
            20_000,
            'the start to finish',
          );
          await rollBack(res.body.id);
        } else {
          expect(await clusterWeights(stack, service), `${name}: nothing moved`).toEqual(before);
        }
      }

      // The rollout the actions run on starts outside the policy, which then applies.
      await putPolicy(service, {});
      const rollout = await startRollout(stack, service, `registry.local/shop/${service}:9.1.0`, {
        steps: [25, 50, 100],
      });
      await putPolicy(service, target.policy);
      for (const [name, path] of Object.entries(actionPaths)) {
        const before = await clusterWeights(stack, service);
        const res = await call(stack, 'POST', `/api/v1/rollouts/${rollout.id}/actions`, {
          headers: admin,
          payload: path.action,
        });
        got[name] = verdict(res);
        want[name] = path.want[policyName];
        if (got[name] === 'goes') {
          await settled(stack, rollout.id);
          if (path.action.type !== 'promote')
            expect(
              (
                await call(stack, 'POST', `/api/v1/rollouts/${rollout.id}/actions`, {
                  headers: admin,
                  payload: { type: 'set-weight', weight: 25 },
                })
              ).status,
            ).toBe(200);
        } else {
          expect(await clusterWeights(stack, service), `${name}: nothing moved`).toEqual(before);
          if (got[name] === 'held') {
            const withdrawn = await call(
              stack,
              'POST',
              `/api/v1/approvals/${res.body.approval.id}/withdraw`,
              {
                headers: admin,
              },
            );
            expect(withdrawn.status).toBe(200);
          }
        }
      }
      expect(got).toEqual(want);
      const last = await settled(stack, rollout.id);
      if (last.phase !== 'promoted') await rollBack(rollout.id);
      await putPolicy(service, {});
    }, 120_000);
  }
});
