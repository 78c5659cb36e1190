import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, call, createUser, login, rawDb } from './access-harness.ts';
import { type Json, type Stack, clusterWeights, settled, startRollout, startStack } from './harness.ts';

// The two-person rule and change-freeze windows (issue 6), on the sandbox stack. Without
// Prometheus the gate is inconclusive, so promotions carry an override with a reason.
let stack: Stack;
const as: Record<'alice' | 'bob' | 'viewer', Record<string, string>> = { alice: {}, bob: {}, viewer: {} };

/** A user signs in with a password and makes an API token for themselves (acting as them). */
async function operatorToken(username: string, role = 'operator'): Promise<Record<string, string>> {
  const user = await createUser(stack, username, role);
  const session = await login(stack, { username, password: user.password });
  const res = await call(stack, 'POST', '/api/v1/tokens', {
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    payload: { name: `${username}-cli`, role },
  });
  expect(res.status).toBe(201);
  return bearer(res.body.token);
}

beforeAll(async () => {
  // A trusted authenticating proxy on loopback, so one person can also arrive through SSO.
  stack = await startStack({
    env: { AVIARY_TRUSTED_PROXIES: '127.0.0.1', AVIARY_GROUP_ROLES: 'release=operator' },
  });
  as.alice = await operatorToken('alice');
  as.bob = await operatorToken('bob');
  as.viewer = await operatorToken('vera', 'viewer');
}, 60_000);
afterAll(async () => stack?.stop());

const policyUrl = (service: string) => `/api/v1/targets/shop/${service}/policy`;
const putPolicy = (service: string, policy: Json) =>
  call(stack, 'PUT', policyUrl(service), { headers: admin, payload: policy });
const act = (who: Record<string, string>, id: string, payload: Json) =>
  call(stack, 'POST', `/api/v1/rollouts/${id}/actions`, { headers: who, payload });
const approve = (who: Record<string, string>, id: string) =>
  call(stack, 'POST', `/api/v1/approvals/${id}/approve`, { headers: who, payload: {} });
const withdraw = (who: Record<string, string>, id: string) =>
  call(stack, 'POST', `/api/v1/approvals/${id}/withdraw`, { headers: who, payload: {} });
const approvals = async (query: string) =>
  (await call(stack, 'GET', `/api/v1/approvals?${query}`, { headers: as.viewer })).body.items as Json[];
const rolloutOf = async (id: string) => (await stack.api('GET', `/api/v1/rollouts/${id}`)).body;
const audit = async (action: string) =>
  (await call(stack, 'GET', `/api/v1/audit?action=${action}`, { headers: admin })).body.items as Json[];
const promote = { type: 'promote', override: true, reason: 'no metrics in this test' };
/** GET /actions: what the caller may do now, by action type. */
async function allowed(who: Record<string, string>, id: string): Promise<Record<string, Json>> {
  const res = await call(stack, 'GET', `/api/v1/rollouts/${id}/actions`, { headers: who });
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.actions as Json[]).map((a) => [a.type, a]));
}

/** Day and HH:MM of an instant in a time zone, as a freeze window names them. */
function local(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: String(parts.weekday).toLowerCase(), time: `${parts.hour}:${parts.minute}` };
}
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe('target policy', () => {
  it('defaults to no approval and no freeze', async () => {
    const res = await call(stack, 'GET', policyUrl('catalog'), { headers: as.viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      namespace: 'shop',
      service: 'catalog',
      requireApproval: false,
      freezeWindows: [],
      promotionThreshold: 50,
      updatedAt: null,
      updatedBy: null,
      frozen: null,
    });
  });

  it('refuses an invalid policy, naming the field', async () => {
    const window = {
      timezone: 'Europe/Berlin',
      start: { day: 'fri', time: '16:00' },
      end: { day: 'mon', time: '08:00' },
    };
    const badZone = await putPolicy('catalog', { freezeWindows: [{ ...window, timezone: 'Mars/Olympus' }] });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error).toMatchObject({ code: 'invalid-request', field: 'freezeWindows.0.timezone' });
    expect(badZone.body.error.message).toMatch(/IANA time zone/);
    const badTime = await putPolicy('catalog', {
      freezeWindows: [window, { ...window, end: { day: 'mon', time: '24:00' } }],
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.field).toBe('freezeWindows.1.end.time');
    const badDay = await putPolicy('catalog', {
      freezeWindows: [{ ...window, start: { day: 'friday', time: '16:00' } }],
    });
    expect(badDay.body.error.field).toBe('freezeWindows.0.start.day');
    const empty = await putPolicy('catalog', { freezeWindows: [{ ...window, end: window.start }] });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'invalid-request', field: 'freezeWindows.0.end' });
    // A service with no Deployment at all is not found, rather than merely not canaryable.
    const unknown = await putPolicy('nope', { requireApproval: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('target-not-found');
    // Nothing was saved.
    expect((await call(stack, 'GET', policyUrl('catalog'), { headers: admin })).body.updatedAt).toBeNull();
  });

  it('lets an admin save it, audited with before and after; not an operator', async () => {
    expect((await call(stack, 'PUT', policyUrl('checkout'), { headers: as.alice, payload: {} })).status).toBe(
      403,
    );
    const res = await putPolicy('checkout', { requireApproval: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      requireApproval: true,
      freezeWindows: [],
      updatedBy: 'admin',
      frozen: null,
    });
    const record = (await audit('policy-updated')).find((a) => a.subject === 'target/shop/checkout');
    expect(record).toMatchObject({
      actor: 'admin',
      before: { requireApproval: false, freezeWindows: [], promotionThreshold: 50 },
      after: { requireApproval: true, freezeWindows: [], promotionThreshold: 50 },
    });
  });
});

describe('the two-person rule', () => {
  let rollout: Json;
  let approval: Json;

  it('holds a promotion for a second operator: 202 pending, nothing changes in the cluster', async () => {
    rollout = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.1.0');
    const before = await clusterWeights(stack, 'checkout');
    // The gate is checked at request time: an approval cannot launder a gate that has not passed.
    const ungated = await act(as.alice, rollout.id, { type: 'promote' });
    expect(ungated.status).toBe(409);
    expect(ungated.body.error.code).toBe('gate-not-passed');
    expect(await approvals(`rolloutId=${rollout.id}`)).toEqual([]);

    const res = await act(as.alice, rollout.id, promote);
    expect(res.status).toBe(202);
    approval = res.body.approval;
    expect(res.body).toMatchObject({
      approval: {
        rolloutId: rollout.id,
        namespace: 'shop',
        service: 'checkout',
        action: promote,
        requestedBy: 'alice',
        status: 'pending',
        decidedBy: null,
      },
      rollout: { id: rollout.id, phase: 'progressing', weight: 1, version: rollout.version },
    });
    expect(await clusterWeights(stack, 'checkout')).toEqual(before);
    expect(await rolloutOf(rollout.id)).toMatchObject({ phase: 'progressing', version: rollout.version });
    expect((await approvals('status=pending')).map((a) => a.id)).toEqual([approval.id]);
    expect((await audit('approval-requested'))[0]).toMatchObject({
      actor: 'alice',
      role: 'operator',
      subject: `rollout/${rollout.id}`,
      after: { approvalId: approval.id, action: promote },
      reason: promote.reason,
    });
  });

  it('tells each caller what they may do: the pending request blocks promotion, a viewer may do nothing', async () => {
    const bob = await allowed(as.bob, rollout.id);
    expect(bob.promote).toMatchObject({ allowed: false, code: 'approval-pending' });
    expect(bob.promote.reason).toContain(approval.id);
    // The POST is answered with the very refusal the list announced.
    const post = await act(as.bob, rollout.id, promote);
    expect(post.body.error).toMatchObject({ code: bob.promote.code, message: bob.promote.reason });
    // Without Prometheus the gate is inconclusive: a step is allowed, as an override with a reason.
    expect(bob.step).toMatchObject({ allowed: true, toWeight: 5, needsOverride: true, needsReason: true });
    expect(bob.rollback).toMatchObject({ allowed: true, needsOverride: false, needsReason: true });
    const vera = Object.values(await allowed(as.viewer, rollout.id));
    expect(vera).toHaveLength(6);
    for (const a of vera) expect(a).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(vera[0].reason).toMatch(/needs the operator role and vera has viewer/);
  });

  it('holds a step or set-weight to the promotion threshold too, and allows one pending request per rollout', async () => {
    const again = await act(as.bob, rollout.id, {
      type: 'set-weight',
      weight: 100,
      override: true,
      reason: 'x',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('approval-pending');
    expect(again.body.error.message).toContain(approval.id);
    // Below the promotion threshold (50%) needs nobody else.
    const step = await act(as.bob, rollout.id, {
      type: 'set-weight',
      weight: 5,
      override: true,
      reason: 'x',
    });
    expect(step.status).toBe(200);
    expect(step.body.weight).toBe(5);
  });

  it('does not let the requester approve their own request', async () => {
    const res = await approve(as.alice, approval.id);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('approval-self');
    expect(res.body.error.message).toMatch(/a second operator must approve/);
    expect((await approvals(`rolloutId=${rollout.id}`))[0].status).toBe('pending');
  });

  it('promotes once a second operator approves, naming both in the event', async () => {
    const res = await approve(as.bob, approval.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: rollout.id, phase: 'promoted', weight: 0 });
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 100, canary: 0 });
    const events = (await stack.api('GET', `/api/v1/rollouts/${rollout.id}/events`)).body.items as Json[];
    expect(events.find((e) => e.action === 'promote')).toMatchObject({
      actor: 'bob',
      reason: promote.reason,
      details: {
        approvedBy: 'bob',
        requestedBy: 'alice',
        approvalId: approval.id,
        override: true,
        gate: { verdict: 'inconclusive' },
      },
    });
    const [decided] = await approvals(`rolloutId=${rollout.id}`);
    expect(decided).toMatchObject({ id: approval.id, status: 'approved', decidedBy: 'bob' });
    expect(Date.parse(decided.decidedAt)).toBeGreaterThan(0);
    expect((await audit('approval-approved'))[0]).toMatchObject({
      actor: 'bob',
      subject: `rollout/${rollout.id}`,
      after: { approvalId: approval.id, requestedBy: 'alice', status: 'approved' },
    });
    const again = await approve(as.bob, approval.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('approval-not-pending');
    await settled(stack, rollout.id);
  });

  it('answers 404 for an approval that does not exist', async () => {
    const res = await approve(as.bob, 'nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('approval-not-found');
  });
});

describe('withdrawing', () => {
  let rollout: Json;

  beforeAll(async () => {
    expect((await putPolicy('catalog', { requireApproval: true })).status).toBe(200);
    rollout = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:2.0.0', { steps: [25, 100] });
  });

  it('lets the requester or an admin withdraw, not another operator', async () => {
    const req = await act(as.alice, rollout.id, { type: 'step', override: true, reason: 'ship it' });
    expect(req.status).toBe(202);
    const id = req.body.approval.id;
    const byBob = await withdraw(as.bob, id);
    expect(byBob.status).toBe(403);
    expect(byBob.body.error.message).toMatch(/alice/);
    const byAlice = await withdraw(as.alice, id);
    expect(byAlice.status).toBe(200);
    expect(byAlice.body).toMatchObject({ id, status: 'withdrawn', decidedBy: 'alice' });
    expect((await approve(as.bob, id)).body.error.code).toBe('approval-not-pending');
    expect((await audit('approval-withdrawn'))[0]).toMatchObject({
      actor: 'alice',
      after: { approvalId: id },
    });

    const second = await act(as.alice, rollout.id, {
      type: 'set-weight',
      weight: 100,
      override: true,
      reason: 'x',
    });
    expect(second.status).toBe(202);
    const byAdmin = await withdraw(admin, second.body.approval.id);
    expect(byAdmin.body).toMatchObject({ status: 'withdrawn', decidedBy: 'admin' });
    expect((await rolloutOf(rollout.id)).weight).toBe(25);
  });

  it('tells the live stream about each approval', async () => {
    const abort = new AbortController();
    const res = await fetch(`${stack.server.url}/api/v1/stream`, {
      headers: as.viewer,
      signal: abort.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const seen: Json[] = [];
    const reading = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        // Only whole messages (ending in a blank line); the rest waits for the next chunk.
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks) {
          const m = /^event: approval\ndata: (.*)$/m.exec(block);
          if (m) seen.push(JSON.parse(m[1] ?? ''));
        }
        if (seen.length >= 2) return;
      }
    })();
    const req = await act(as.alice, rollout.id, promote);
    expect(req.status).toBe(202);
    expect((await withdraw(as.alice, req.body.approval.id)).status).toBe(200);
    await Promise.race([reading, new Promise((r) => setTimeout(r, 5_000))]);
    abort.abort();
    expect(seen.map((m) => [m.type, m.approval.id, m.approval.status])).toEqual([
      ['approval', req.body.approval.id, 'pending'],
      ['approval', req.body.approval.id, 'withdrawn'],
    ]);
  });

  it('withdraws a pending approval when the rollout is rolled back', async () => {
    const req = await act(as.alice, rollout.id, promote);
    expect(req.status).toBe(202);
    const rolledBack = await act(as.bob, rollout.id, { type: 'rollback', reason: 'changed our minds' });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.phase).toBe('rolled-back');
    const [latest] = await approvals(`rolloutId=${rollout.id}`);
    expect(latest).toMatchObject({ id: req.body.approval.id, status: 'withdrawn', decidedBy: 'bob' });
    expect(await approvals('status=pending')).toEqual([]);
    expect((await audit('approval-withdrawn'))[0]).toMatchObject({
      actor: 'bob',
      after: { approvalId: req.body.approval.id },
      reason: expect.stringMatching(/rolled back/),
    });
    await settled(stack, rollout.id);
  });
});

describe('freeze windows', () => {
  const zone = 'America/New_York';
  // A window around now (from 60 minutes ago to 90 minutes ahead) in the target's time zone.
  const covering = () => ({
    timezone: zone,
    start: local(minutes(-60), zone),
    end: local(minutes(90), zone),
    reason: 'release freeze',
  });
  const later = () => ({ timezone: zone, start: local(minutes(120), zone), end: local(minutes(180), zone) });
  let rollout: Json;

  it('refuses a promotion in a window with when it ends; a rollback still works', async () => {
    rollout = await startRollout(stack, 'payments', 'registry.local/shop/payments:3.0.0', {
      steps: [25, 100],
    });
    const saved = await putPolicy('payments', { freezeWindows: [covering()] });
    expect(saved.status).toBe(200);
    expect(saved.body.frozen).toMatchObject({ window: { reason: 'release freeze' } });
    const until = saved.body.frozen.until as string;
    const ends = Date.parse(until) - Date.now();
    expect(ends).toBeGreaterThan(88 * 60_000);
    expect(ends).toBeLessThanOrEqual(90 * 60_000);

    const res = await act(as.alice, rollout.id, promote);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('change-frozen');
    const end = local(new Date(until), zone);
    expect(res.body.error.message).toContain('promotion of shop/payments is frozen until');
    expect(res.body.error.message).toContain(
      `${end.time} ${zone} (release freeze); roll back is always allowed`,
    );
    // A step to the promotion threshold (50%) or above is a promotion too; moving below it is not.
    expect(
      (await act(as.alice, rollout.id, { type: 'step', override: true, reason: 'x' })).body.error.code,
    ).toBe('change-frozen');
    expect(
      (await act(as.alice, rollout.id, { type: 'set-weight', weight: 40, override: true, reason: 'x' }))
        .status,
    ).toBe(200);
    expect(await rolloutOf(rollout.id)).toMatchObject({ phase: 'progressing', weight: 40 });
    const may = await allowed(as.alice, rollout.id);
    const frozen = await act(as.alice, rollout.id, promote);
    expect(may.promote).toMatchObject({
      allowed: false,
      code: 'change-frozen',
      reason: frozen.body.error.message,
    });
    expect(may.step).toMatchObject({ allowed: false, code: 'change-frozen', toWeight: 100 });
    expect(may.rollback.allowed).toBe(true);

    const rolledBack = await act(as.alice, rollout.id, { type: 'rollback', reason: 'during the freeze' });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.phase).toBe('rolled-back');
    await settled(stack, rollout.id);
  });

  it('refuses to approve during a window; the approval stays pending', async () => {
    expect(
      (await putPolicy('payments', { requireApproval: true, freezeWindows: [later()] })).body.frozen,
    ).toBeNull();
    rollout = await startRollout(stack, 'payments', 'registry.local/shop/payments:3.0.1', {
      steps: [25, 100],
    });
    const req = await act(as.alice, rollout.id, promote);
    expect(req.status).toBe(202);
    expect((await putPolicy('payments', { requireApproval: true, freezeWindows: [covering()] })).status).toBe(
      200,
    );
    const res = await approve(as.bob, req.body.approval.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('change-frozen');
    expect((await approvals(`rolloutId=${rollout.id}`))[0].status).toBe('pending');
    expect((await rolloutOf(rollout.id)).phase).toBe('progressing');
    // A request during the window is refused outright, before any approval is stored.
    expect((await act(as.bob, rollout.id, promote)).body.error.code).toBe('change-frozen');

    // Outside the window the same approval goes through.
    expect((await putPolicy('payments', { requireApproval: true, freezeWindows: [later()] })).status).toBe(
      200,
    );
    const approved = await approve(as.bob, req.body.approval.id);
    expect(approved.status).toBe(200);
    expect(approved.body.phase).toBe('promoted');
    await settled(stack, rollout.id);
  });

  it('allows a promotion when no window covers now', async () => {
    expect((await putPolicy('payments', { freezeWindows: [later()] })).status).toBe(200);
    rollout = await startRollout(stack, 'payments', 'registry.local/shop/payments:3.0.2', {
      steps: [25, 100],
    });
    const res = await act(as.alice, rollout.id, promote);
    expect(res.status).toBe(200);
    expect(res.body.phase).toBe('promoted');
    await settled(stack, rollout.id);
  });
});

describe('who counts as the same person under the two-person rule', () => {
  const session = async (username: string, password = 'correct horse battery') => {
    const s = await login(stack, { username, password });
    return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
  };
  const viaProxy = async (user: string) => {
    const headers = { 'x-forwarded-user': user, 'x-forwarded-groups': 'release' };
    const me = await call(stack, 'GET', '/api/v1/auth/me', { headers });
    return { ...headers, 'x-csrf-token': me.body.csrfToken as string };
  };
  let rollout: Json;

  beforeAll(async () => {
    expect((await putPolicy('checkout', { requireApproval: true })).status).toBe(200);
    rollout = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.2.0', {
      steps: [25, 100],
    });
  });

  it('compares stable ids: the requester cannot approve with another credential or an SSO identity of the same name', async () => {
    const req = await act(as.alice, rollout.id, promote);
    expect(req.status).toBe(202);
    expect(req.body.approval).not.toHaveProperty('requestedById');
    const id = req.body.approval.id;
    for (const [how, headers] of [
      ['her password session', await session('alice')],
      ['the SSO proxy as "Alice"', await viaProxy('Alice')],
    ] as const) {
      const res = await approve(headers, id);
      expect(res.status, how).toBe(403);
      expect(res.body.error.code, how).toBe('approval-self');
    }
    expect((await approvals(`rolloutId=${rollout.id}`))[0].status).toBe('pending');
    expect((await withdraw(await session('alice'), id)).status).toBe(200);
  });

  it('does not let an admin approve through an account they created, nor that account through them', async () => {
    await createUser(stack, 'ada', 'admin');
    const ada = await session('ada');
    const created = await call(stack, 'POST', '/api/v1/users', {
      headers: ada,
      payload: { username: 'ada-2', password: 'correct horse battery', role: 'operator' },
    });
    expect(created.status).toBe(201);
    const ada2 = await session('ada-2');

    const byAda = await act(ada, rollout.id, promote);
    expect(byAda.status).toBe(202);
    const refused = await approve(ada2, byAda.body.approval.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'approval-self' });
    expect(refused.body.error.message).toMatch(/the requester created your account/);
    expect((await withdraw(ada, byAda.body.approval.id)).status).toBe(200);

    const byAda2 = await act(ada2, rollout.id, promote);
    expect(byAda2.status).toBe(202);
    const back = await approve(ada, byAda2.body.approval.id);
    expect(back.status).toBe(403);
    expect(back.body.error.message).toMatch(/you created the requester's account/);
    expect((await withdraw(ada2, byAda2.body.approval.id)).status).toBe(200);
  });

  it('reserves the names Aviary and the bootstrap token act under', async () => {
    for (const username of ['admin', 'Aviary', 'system', 'anonymous']) {
      const res = await call(stack, 'POST', '/api/v1/users', {
        headers: admin,
        payload: { username, password: 'correct horse battery', role: 'viewer' },
      });
      expect(res.status, username).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid-request', field: 'username' });
      expect(res.body.error.message).toMatch(/reserved/);
    }
  });

  it('expires a request nobody approved in time: it cannot be approved, and a new one can be made', async () => {
    const req = await act(as.alice, rollout.id, promote);
    expect(req.status).toBe(202);
    const expiresIn = Date.parse(req.body.approval.expiresAt) - Date.parse(req.body.approval.requestedAt);
    expect(expiresIn).toBe(24 * 3_600_000);
    const db = rawDb(stack);
    db.sqlite
      .prepare('UPDATE approvals SET expires_at = ? WHERE id = ?')
      .run(new Date(Date.now() - 1_000).toISOString(), req.body.approval.id);
    db.close();
    const res = await approve(as.bob, req.body.approval.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('approval-expired');
    expect(res.body.error.message).toMatch(/request the promote again/);
    expect((await approvals(`rolloutId=${rollout.id}`))[0]).toMatchObject({
      id: req.body.approval.id,
      status: 'expired',
      decidedBy: 'aviary',
    });
    expect((await rolloutOf(rollout.id)).phase).toBe('progressing');
    const again = await act(as.alice, rollout.id, promote);
    expect(again.status).toBe(202);
    const approved = await approve(as.bob, again.body.approval.id);
    expect(approved.status).toBe(200);
    expect(approved.body.phase).toBe('promoted');
    await settled(stack, rollout.id);
  });
});
