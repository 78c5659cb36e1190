import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Json,
  type Stack,
  clusterWeights,
  deployPath,
  kube,
  settled,
  startRollout,
  startStack,
  waitFor,
} from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.stop());

const act = (id: string, body: Json, headers?: Record<string, string>) =>
  stack.api('POST', `/api/v1/rollouts/${id}/actions`, body, headers);
const events = async (id: string) =>
  (await stack.api('GET', `/api/v1/rollouts/${id}/events`)).body.items as Json[];

describe('targets', () => {
  it('discovers the seeded services with their live weights', async () => {
    const res = await stack.api('GET', '/api/v1/targets');
    expect(res.status).toBe(200);
    const names = res.body.items.map((t: Json) => `${t.namespace}/${t.service}:${t.router}`);
    expect(names).toEqual([
      'shop/catalog:istio',
      'shop/checkout:istio',
      'shop/payments:istio',
      'shop-gateway/checkout:gateway-api',
      'shop-linkerd/checkout:smi',
      'shop-nginx/checkout:nginx',
      'shop-traefik/checkout:traefik',
    ]);
    expect(res.body.items[1]).toMatchObject({
      router: 'istio',
      objects: [
        { kind: 'VirtualService', name: 'checkout' },
        { kind: 'DestinationRule', name: 'checkout' },
      ],
      metrics: 'istio',
      weights: { stable: 100, canary: 0 },
      stableImage: 'registry.local/shop/checkout:1.0.0',
      problems: [],
      activeRolloutId: null,
    });
  });
});

describe('a rollout from start to promotion', () => {
  let rollout: Json;

  it('starts: canary created from stable, available, first step live', async () => {
    rollout = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.1.0', {
      reason: 'release 1.1',
    });
    expect(rollout).toMatchObject({
      phase: 'progressing',
      weight: 1,
      stepIndex: 0,
      steps: [1, 5, 25, 50, 75, 100],
      createdBy: 'admin',
    });
    const canary = await kube(stack, 'GET', deployPath('checkout-canary'));
    expect(canary.spec.template.spec.containers[0].image).toBe('registry.local/shop/checkout:1.1.0');
    expect(canary.spec.template.metadata.labels.version).toBe('canary');
    expect(canary.spec.replicas).toBe(1);
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 99, canary: 1 });
    expect((await events(rollout.id)).map((e) => e.action)).toEqual(['created', 'canary-ready', 'step']);
  });

  it('refuses to step on a gate that has not passed, and says what to do', async () => {
    const gate = await stack.api('GET', `/api/v1/rollouts/${rollout.id}/gate`);
    expect(gate.status).toBe(200);
    // This stack has no Prometheus: no data is never a pass.
    expect(gate.body.verdict).toBe('inconclusive');
    const res = await act(rollout.id, { type: 'step' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('gate-not-passed');
    expect(res.body.error.message).toMatch(/override: true with a reason/);
    const noReason = await act(rollout.id, { type: 'step', override: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 99, canary: 1 });
  });

  it('refuses a second rollout of the same service', async () => {
    const res = await stack.api('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'checkout',
      image: 'registry.local/shop/checkout:9',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('active-rollout-exists');
  });

  it('steps to the next weight', async () => {
    const res = await act(rollout.id, { override: true, type: 'step', reason: 'looks fine' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ weight: 5, stepIndex: 1 });
    // The override is in history with the gate it overrode.
    const step = (await events(rollout.id)).at(-1);
    expect(step).toMatchObject({
      action: 'step',
      reason: 'looks fine',
      details: { override: true, gate: { verdict: 'inconclusive' } },
    });
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 95, canary: 5 });
  });

  it('scales the canary before raising its weight, and down only after lowering it', async () => {
    const res = await act(rollout.id, {
      type: 'set-weight',
      weight: 75,
      override: true,
      reason: 'no metrics in this test',
    });
    expect(res.body.weight).toBe(75);
    expect((await kube(stack, 'GET', deployPath('checkout-canary'))).spec.replicas).toBe(2);
    const down = await act(rollout.id, { type: 'set-weight', weight: 5, reason: 'back down' });
    expect(down.body).toMatchObject({ weight: 5, stepIndex: 1 });
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 95, canary: 5 });
    expect((await kube(stack, 'GET', deployPath('checkout-canary'))).spec.replicas).toBe(1);
  });

  it('pause blocks stepping until resumed', async () => {
    expect((await act(rollout.id, { type: 'pause' })).body.phase).toBe('paused');
    const blocked = await act(rollout.id, {
      type: 'step',
      override: true,
      reason: 'no metrics in this test',
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error).toMatchObject({ code: 'rollout-paused' });
    expect(blocked.body.error.message).toMatch(/resume/);
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 95, canary: 5 });
    expect((await act(rollout.id, { type: 'resume' })).body.phase).toBe('progressing');
  });

  it('refuses a stale expectedVersion and changes nothing', async () => {
    const current = (await stack.api('GET', `/api/v1/rollouts/${rollout.id}`)).body;
    const before = (await events(rollout.id)).length;
    const res = await act(rollout.id, {
      type: 'step',
      expectedVersion: current.version - 1,
      override: true,
      reason: 'no metrics in this test',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version-conflict');
    expect(res.body.error.details).toEqual({ currentVersion: current.version });
    expect((await stack.api('GET', `/api/v1/rollouts/${rollout.id}`)).body.version).toBe(current.version);
    expect(await events(rollout.id)).toHaveLength(before);
  });

  it('acts once for the same Idempotency-Key sent twice', async () => {
    const headers = { 'idempotency-key': `step-${rollout.id}` };
    const first = await act(
      rollout.id,
      { type: 'step', override: true, reason: 'no metrics in this test' },
      headers,
    );
    const second = await act(
      rollout.id,
      { type: 'step', override: true, reason: 'no metrics in this test' },
      headers,
    );
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(first.body.weight).toBe(25);
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 75, canary: 25 });
    const reused = await act(rollout.id, { type: 'pause' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency-key-reused');
  });

  it('promotes: stable on the new image, all traffic to stable, canary at zero', async () => {
    const res = await act(rollout.id, { override: true, type: 'promote', reason: 'all green' });
    expect(res.status).toBe(200);
    // Answered once traffic is back on stable; scaling the canary down follows.
    expect(res.body).toMatchObject({ phase: 'promoted', weight: 0 });
    await settled(stack, rollout.id);
    const stable = await kube(stack, 'GET', deployPath('checkout'));
    expect(stable.spec.template.spec.containers[0].image).toBe('registry.local/shop/checkout:1.1.0');
    expect(stable.status.availableReplicas).toBe(stable.spec.replicas);
    expect(await clusterWeights(stack, 'checkout')).toEqual({ stable: 100, canary: 0 });
    expect((await kube(stack, 'GET', deployPath('checkout-canary'))).spec.replicas).toBe(0);
    const last = (await events(rollout.id)).at(-1);
    expect(last).toMatchObject({
      action: 'promote',
      actor: 'admin',
      reason: 'all green',
      toPhase: 'promoted',
    });
    const after = await act(rollout.id, { type: 'rollback', reason: 'too late' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('rollout-finished');
  });
});

describe('rollback', () => {
  it.each([
    ['progressing', async (_id: string) => {}],
    ['paused', async (id: string) => void (await act(id, { type: 'pause' }))],
  ])('works from %s: all traffic to stable, canary at zero, reason recorded', async (phase, prepare) => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:2.0.0-errors');
    await act(r.id, { type: 'set-weight', weight: 50, override: true, reason: 'no metrics in this test' });
    await prepare(r.id);
    expect((await stack.api('GET', `/api/v1/rollouts/${r.id}`)).body.phase).toBe(phase);
    const res = await act(r.id, { type: 'rollback', reason: `errors while ${phase}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phase: 'rolled-back', weight: 0 });
    // Traffic is on stable by the time the request is answered; the canary scales down after.
    expect(await clusterWeights(stack, 'catalog')).toEqual({ stable: 100, canary: 0 });
    await settled(stack, r.id);
    expect((await kube(stack, 'GET', deployPath('catalog-canary'))).spec.replicas).toBe(0);
    expect((await events(r.id)).at(-1)).toMatchObject({
      action: 'rollback',
      reason: `errors while ${phase}`,
      fromWeight: 50,
      toWeight: 0,
    });
    // The list says how it ended: its peak weight, who ended it and why.
    const listed = (await stack.api('GET', '/api/v1/rollouts?service=catalog')).body.items.find(
      (x: Json) => x.id === r.id,
    );
    expect(listed).toMatchObject({
      peakWeight: 50,
      ended: { action: 'rollback', actor: 'admin', reason: `errors while ${phase}` },
    });
  });

  it('works while starting, before the first step', async () => {
    const res = await stack.api('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'payments',
      image: 'registry.local/shop/payments:3.0.0',
    });
    expect(res.body.phase).toBe('starting');
    const rb = await act(res.body.id, { type: 'rollback', reason: 'wrong image' });
    expect(rb.body.phase).toBe('rolled-back');
    await settled(stack, res.body.id);
    expect(await clusterWeights(stack, 'payments')).toEqual({ stable: 100, canary: 0 });
    const canary = await kube(stack, 'GET', deployPath('payments-canary'));
    // Either the canary was never created, or it is scaled to zero.
    expect(canary.code === 404 || canary.spec.replicas === 0).toBe(true);
  });

  it('works mid-promotion and puts stable back on its old image', async () => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:2.1.0');
    // Slow every read of the stable Deployment, so the promotion is caught after stable moved.
    const faults = `${stack.sandbox.endpoints.apiServer}/_sandbox/faults`;
    await fetch(faults, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: 'deployments/catalog$', delayMs: 1000 }),
    });
    const promoting = act(r.id, { type: 'promote', override: true, reason: 'no metrics in this test' });
    const stableImage = async () =>
      (
        await kube(
          stack,
          'GET',
          '/apis/apps/v1/namespaces/shop/deployments?fieldSelector=metadata.name%3Dcatalog',
        )
      ).items[0].spec.template.spec.containers[0].image as string;
    await waitFor(
      async () => (await stableImage()) === 'registry.local/shop/catalog:2.1.0' || undefined,
      15_000,
      'stable on the new image',
    );
    const rb = await act(r.id, { type: 'rollback', reason: 'abort promotion' });
    expect(rb.body).toMatchObject({ phase: 'rolled-back', weight: 0 });
    expect(await clusterWeights(stack, 'catalog')).toEqual({ stable: 100, canary: 0 });
    await fetch(faults, { method: 'DELETE' });
    await settled(stack, r.id);
    expect((await promoting).status).toBe(409);
    expect(await stableImage()).toBe('registry.local/shop/catalog:1.0.0');
    expect(await clusterWeights(stack, 'catalog')).toEqual({ stable: 100, canary: 0 });
    const actions = (await events(r.id)).map((e) => e.action);
    expect(actions).not.toContain('promote');
    expect(actions.at(-1)).toBe('rollback');
  }, 40_000);
});

describe('bad input', () => {
  it.each([
    ['an unknown action', { type: 'launch' }, 'type'],
    ['set-weight without a weight', { type: 'set-weight' }, 'weight'],
    [
      'a weight over 100',
      { type: 'set-weight', weight: 140, override: true, reason: 'no metrics in this test' },
      'weight',
    ],
    ['a rollback without a reason', { type: 'rollback' }, 'reason'],
  ])('%s is a 400 naming the field', async (_name, body, field) => {
    const r = (await stack.api('GET', '/api/v1/rollouts?limit=1')).body.items[0];
    const res = await act(r.id, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-request');
    expect(res.body.error.message).toContain(field);
  });

  it('refuses a start with a bad image or service, naming the field', async () => {
    const res = await stack.api('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'Check Out',
      image: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('service');
  });

  it('answers 404 for an unknown rollout and an unknown target', async () => {
    const unknownRollout = await stack.api('GET', '/api/v1/rollouts/nope');
    expect(unknownRollout.status).toBe(404);
    expect(unknownRollout.body.error.code).toBe('rollout-not-found');
    const res = await stack.api('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'inventory',
      image: 'registry.local/shop/inventory:1',
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('target-not-found');
    expect(res.body.error.message).toMatch(/inventory/);
  });

  it('refuses a change without the admin token, and malformed JSON, with JSON errors', async () => {
    const noToken = await stack.api(
      'POST',
      '/api/v1/rollouts',
      { namespace: 'shop', service: 'checkout', image: 'a:1' },
      { authorization: '' },
    );
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.code).toBe('unauthorized');
    const res = await fetch(`${stack.server.url}/api/v1/rollouts`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-admin-token-0123456789-abcdef',
        'content-type': 'application/json',
      },
      body: '{"namespace":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toBeTruthy();
  });
});

describe('history and the API surface', () => {
  it('lists rollouts newest first with cursor pagination and filters', async () => {
    const all: Json[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Json } = await stack.api(
        'GET',
        `/api/v1/rollouts?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const promoted = await stack.api('GET', '/api/v1/rollouts?phase=promoted');
    expect(promoted.body.items.every((r: Json) => r.phase === 'promoted')).toBe(true);
    expect((await stack.api('GET', '/api/v1/rollouts?phase=sideways')).status).toBe(400);
  });

  it('serves OpenAPI, the reference, health, readiness and metrics', async () => {
    const openapi = await stack.api('GET', '/api/openapi.json');
    expect(openapi.body.paths['/api/v1/rollouts/{id}/actions']).toBeDefined();
    expect((await fetch(`${stack.server.url}/api/docs/`)).status).toBe(200);
    expect((await stack.api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await stack.api('GET', '/readyz');
    expect(ready.body.checks.database.ok).toBe(true);
    expect(ready.body.checks.cluster.ok).toBe(true);
    // This stack runs without Prometheus: readiness says so by name.
    expect(ready.status).toBe(503);
    expect(ready.body.checks.prometheus).toMatchObject({ ok: false });
    const metrics = await (await fetch(`${stack.server.url}/metrics`)).text();
    expect(metrics).toMatch(/aviary_http_requests_total\{/);
    expect(metrics).toMatch(/aviary_rollout_phase\{namespace="shop",service="checkout",phase="promoted"\} 1/);
  });
});
