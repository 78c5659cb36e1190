import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Json,
  type Stack,
  clusterWeights,
  kube,
  settled,
  startRollout,
  startStack,
  token,
  vsPath,
  waitFor,
} from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.stop());

const act = (id: string, body: Json) => stack.api('POST', `/api/v1/rollouts/${id}/actions`, body);
const events = async (id: string) =>
  (await stack.api('GET', `/api/v1/rollouts/${id}/events`)).body.items as Json[];
const faults = () => `${stack.sandbox.endpoints.apiServer}/_sandbox/faults`;
const inject = async (rule: Json) =>
  (await fetch(faults(), { method: 'POST', body: JSON.stringify(rule) })).json();
const clearFaults = () => fetch(faults(), { method: 'DELETE' });
const auditOf = async (action: string, id: string) =>
  ((await stack.api('GET', `/api/v1/audit?action=${action}`)).body.items as Json[]).filter(
    (a) => a.subject === `rollout/${id}`,
  );

/** Every weight change in history starts where the previous one ended. */
function assertChained(history: Json[]) {
  const moves = history.filter((e) => e.toWeight !== null && e.fromWeight !== null && e.action !== 'created');
  for (let i = 1; i < moves.length; i++)
    expect(moves[i].fromWeight, `event ${moves[i].id}`).toBe(moves[i - 1].toWeight);
}

describe('faults and races', () => {
  it('keeps history consistent with the cluster under 50 concurrent conflicting actions', async () => {
    const r = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.2.0');
    const weights = [3, 60, 10, 90, 25, 0, 45, 5, 70, 15];
    const requests = Array.from({ length: 50 }, (_, i) =>
      i % 7 === 3
        ? act(r.id, { type: 'pause' })
        : i % 7 === 5
          ? act(r.id, { type: 'resume' })
          : act(r.id, {
              type: 'set-weight',
              weight: weights[i % weights.length],
              override: true,
              reason: 'no metrics in this test',
            }),
    );
    const results = await Promise.all(requests);
    for (const res of results) {
      expect([200, 409]).toContain(res.status);
      if (res.status === 409)
        expect(['rollout-busy', 'rollout-paused', 'rollout-not-paused', 'version-conflict']).toContain(
          res.body.error.code,
        );
    }
    expect(results.filter((res) => res.status === 200).length).toBeGreaterThan(0);

    const final = (await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body;
    expect(final.operation).toBeNull();
    const cluster = await clusterWeights(stack, 'checkout');
    expect(cluster.canary).toBe(final.weight);
    const history = await events(r.id);
    const lastMove = history.filter((e) => e.action === 'set-weight' || e.action === 'step').at(-1);
    expect(lastMove.toWeight).toBe(cluster.canary);
    assertChained(history);
    // Every accepted request is in history exactly once.
    const accepted = results.filter((res) => res.status === 200).length;
    expect(history.filter((e) => ['set-weight', 'pause', 'resume'].includes(e.action))).toHaveLength(
      accepted,
    );
    await act(r.id, { type: 'rollback', reason: 'end of race test' });
  }, 60_000);

  it('reports a failing cluster API clearly and records no phantom step', async () => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:3.0.0');
    await inject({ method: 'PUT', path: 'virtualservices/catalog$', status: 500 });
    const res = await act(r.id, { type: 'step', override: true, reason: 'no metrics in this test' });
    await clearFaults();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('cluster-unavailable');
    expect(res.body.error.message).toMatch(/traffic is now 99% stable \/ 1% canary/);
    expect(res.body.error.message).toMatch(/Retry, or roll back/);
    const after = (await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body;
    expect(after).toMatchObject({ weight: 1, phase: 'progressing', operation: null });
    const history = await events(r.id);
    expect(history.map((e) => e.action)).toEqual(['created', 'canary-ready', 'step', 'operation-failed']);
    expect(history.at(-1).details).toMatchObject({ attempted: 'step', toWeight: 5 });
    expect(await clusterWeights(stack, 'catalog')).toEqual({ stable: 99, canary: 1 });
    // The failure is in the audit trail too, written with its event, in the requester's name.
    expect(await auditOf('operation-failed', r.id)).toMatchObject([
      {
        actor: 'admin',
        role: 'admin',
        at: history.at(-1).at,
        after: { weight: 1, attempted: 'step', stage: 'action', traffic: { stable: 99, canary: 1 } },
      },
    ]);

    // Once the cluster answers again the same step goes through.
    expect(
      (await act(r.id, { type: 'step', override: true, reason: 'no metrics in this test' })).body.weight,
    ).toBe(5);
    await act(r.id, { type: 'rollback', reason: 'cleanup' });
  }, 60_000);

  it('says the split the cluster really holds when a traffic change keeps conflicting', async () => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:3.1.0');
    await inject({ method: 'PUT', path: 'virtualservices/catalog$', status: 409 });
    const res = await act(r.id, { type: 'step', override: true, reason: 'no metrics in this test' });
    await clearFaults();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('cluster-conflict');
    expect(res.body.error.details).toMatchObject({ traffic: { stable: 99, canary: 1 } });
    expect(await clusterWeights(stack, 'catalog')).toEqual({ stable: 99, canary: 1 });
    await act(r.id, { type: 'rollback', reason: 'cleanup' });
    await settled(stack, r.id);
  }, 60_000);

  it('retries conflicts and transient errors from the API server', async () => {
    const r = await startRollout(stack, 'payments', 'registry.local/shop/payments:2.0.0');
    await inject({ method: 'PUT', path: 'virtualservices/payments$', status: 409, times: 2 });
    await inject({ method: 'GET', path: 'virtualservices/payments$', status: 429, times: 1 });
    const res = await act(r.id, {
      type: 'set-weight',
      weight: 20,
      override: true,
      reason: 'no metrics in this test',
    });
    expect(res.status).toBe(200);
    expect(await clusterWeights(stack, 'payments')).toEqual({ stable: 80, canary: 20 });
    expect(((await fetch(faults()).then((x) => x.json())) as Json).items ?? []).toHaveLength(0);
    await clearFaults();
  }, 60_000);

  it('shows a weight changed outside Aviary as the real weight and records drift', async () => {
    const rollout = (await stack.api('GET', '/api/v1/rollouts?service=payments&active=true')).body.items[0];
    const vs = await kube(stack, 'GET', vsPath('payments'));
    vs.spec.http[0].route[0].weight = 60;
    vs.spec.http[0].route[1].weight = 40;
    await kube(stack, 'PUT', vsPath('payments'), vs, 'application/json');
    const seen = await waitFor(
      async () => {
        const r = (await stack.api('GET', `/api/v1/rollouts/${rollout.id}`)).body;
        return r.weight === 40 ? r : undefined;
      },
      5_000,
      'drift to be noticed',
    );
    expect(seen.weight).toBe(40);
    const drift = (await events(rollout.id)).filter((e) => e.action === 'drift-detected');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({
      actor: 'cluster',
      fromWeight: 20,
      toWeight: 40,
      details: { actual: { stable: 60, canary: 40 } },
    });
    expect(await auditOf('drift-detected', rollout.id)).toMatchObject([
      {
        actor: 'cluster',
        before: { weight: 20 },
        after: { weight: 40, traffic: { stable: 60, canary: 40 } },
      },
    ]);
    // Aviary did not overwrite it.
    expect(await clusterWeights(stack, 'payments')).toEqual({ stable: 60, canary: 40 });
    await act(rollout.id, { type: 'rollback', reason: 'cleanup' });
  }, 30_000);

  it('answers a HEAD on the event stream at once instead of holding it open', async () => {
    const res = await fetch(`${stack.server.url}/api/v1/stream`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  }, 30_000);

  it('streams rollout changes and history events as Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${stack.server.url}/api/v1/stream`, {
      signal: controller.signal,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const received = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        if (text.includes('event: event') && text.includes('"action":"step"')) return;
      }
    })();
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:4.0.0');
    await Promise.race([
      received,
      new Promise((_, rej) => setTimeout(() => rej(new Error(`no step event; got ${text}`)), 10_000)),
    ]);
    controller.abort();
    expect(text).toContain('event: rollout');
    expect(text).toContain(r.id);
    await act(r.id, { type: 'rollback', reason: 'cleanup' });
  }, 30_000);
});
