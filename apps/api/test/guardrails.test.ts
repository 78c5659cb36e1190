import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, call } from './access-harness.ts';
import {
  type Json,
  type Stack,
  deployPath,
  kube,
  settled,
  startRollout,
  startStack,
  vsPath,
  waitFor,
} from './harness.ts';

// What Aviary may touch in the cluster: only Deployments it created, and (when set) only the
// allowed namespaces and image registries.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { AVIARY_ALLOWED_NAMESPACES: 'shop', AVIARY_ALLOWED_REGISTRIES: 'registry.local' },
  });
}, 60_000);
afterAll(async () => stack?.stop());

const start = (payload: Json) => call(stack, 'POST', '/api/v1/rollouts', { headers: admin, payload });
const rollouts = async () =>
  (await call(stack, 'GET', '/api/v1/rollouts', { headers: admin })).body.items as Json[];

describe('a canary Deployment Aviary did not create', () => {
  it('is refused (409 not-managed) and left exactly as it was', async () => {
    const stable = await kube(stack, 'GET', deployPath('catalog'));
    const foreign = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'catalog-canary', namespace: 'shop', labels: { team: 'someone-else' } },
      spec: { ...stable.spec, replicas: 2 },
    };
    const created = await kube(
      stack,
      'POST',
      '/apis/apps/v1/namespaces/shop/deployments',
      foreign,
      'application/json',
    );
    expect(created.metadata?.name).toBe('catalog-canary');

    const res = await start({
      namespace: 'shop',
      service: 'catalog',
      image: 'registry.local/shop/catalog:2.0.0',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not-managed');
    expect(res.body.error.message).toMatch(/not created by Aviary/);
    expect(res.body.error.message).toMatch(/rename or delete it/);
    expect(await rollouts()).toEqual([]);
    const after = await kube(stack, 'GET', deployPath('catalog-canary'));
    // Its status moves as its pods come up; its spec (generation) and labels do not.
    expect(after.metadata.generation).toBe(created.metadata.generation);
    expect(after.metadata.labels).toEqual({ team: 'someone-else' });
    expect(after.spec.replicas).toBe(2);
    expect(after.spec.template.spec.containers[0].image).toBe(stable.spec.template.spec.containers[0].image);
    await kube(stack, 'DELETE', deployPath('catalog-canary'));
  });

  it('labels the canary it creates as managed by Aviary', async () => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:2.0.0');
    const canary = await kube(stack, 'GET', deployPath('catalog-canary'));
    expect(canary.metadata.labels['app.kubernetes.io/managed-by']).toBe('aviary');
    await call(stack, 'POST', `/api/v1/rollouts/${r.id}/actions`, {
      headers: admin,
      payload: { type: 'rollback', reason: 'done' },
    });
    await settled(stack, r.id);
  });

  it('is never scaled: a rollback leaves a canary someone relabelled mid-rollout as it is', async () => {
    const r = await startRollout(stack, 'catalog', 'registry.local/shop/catalog:2.0.1');
    await kube(stack, 'PATCH', deployPath('catalog-canary'), {
      metadata: { labels: { 'app.kubernetes.io/managed-by': 'helm' } },
      spec: { replicas: 3 },
    });
    const res = await call(stack, 'POST', `/api/v1/rollouts/${r.id}/actions`, {
      headers: admin,
      payload: { type: 'rollback', reason: 'someone else owns the canary now' },
    });
    expect(res.status).toBe(200);
    expect((await settled(stack, r.id)).phase).toBe('rolled-back');
    expect((await kube(stack, 'GET', deployPath('catalog-canary'))).spec.replicas).toBe(3);
    await kube(stack, 'DELETE', deployPath('catalog-canary'));
  });
});

describe('allowlists', () => {
  it('refuses a namespace outside AVIARY_ALLOWED_NAMESPACES (403), for starts and target settings', async () => {
    const before = (await rollouts()).length;
    const res = await start({ namespace: 'kube-system', service: 'coredns', image: 'registry.local/x:1' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'namespace-not-allowed', field: 'namespace' });
    expect(res.body.error.message).toMatch(/limited to shop \(AVIARY_ALLOWED_NAMESPACES\)/);
    for (const what of ['policy', 'profile']) {
      const put = await call(stack, 'PUT', `/api/v1/targets/kube-system/coredns/${what}`, {
        headers: admin,
        payload: {},
      });
      expect(put.status, what).toBe(403);
      expect(put.body.error.code).toBe('namespace-not-allowed');
    }
    expect((await rollouts()).length).toBe(before);
  });

  it('refuses an image from outside AVIARY_ALLOWED_REGISTRIES (403) before anything is created', async () => {
    const before = (await rollouts()).length;
    for (const image of [
      'docker.io/evil/checkout:1',
      'registry.local.evil.example/shop/checkout:1',
      'checkout:1',
    ]) {
      const res = await start({ namespace: 'shop', service: 'checkout', image });
      expect(res.status, image).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'registry-not-allowed', field: 'image' });
      expect(res.body.error.message).toMatch(/use an image from registry.local/);
    }
    expect((await rollouts()).length).toBe(before);
    const canary = await fetch(stack.sandbox.endpoints.apiServer + deployPath('checkout-canary'));
    expect(canary.status).toBe(404);
  });
});

describe('the aviary.dev/profile annotation', () => {
  const annotate = (profile: Json) =>
    kube(stack, 'PATCH', vsPath('payments'), {
      metadata: { annotations: { 'aviary.dev/profile': JSON.stringify(profile) } },
    });
  const driftRecords = async () =>
    (await call(stack, 'GET', '/api/v1/audit?action=profile-drift', { headers: admin })).body.items.filter(
      (a: Json) => a.subject === 'target/shop/payments',
    ) as Json[];
  /** Change the annotation and wait for the one new drift record (newest first). */
  const annotateAndWait = async (profile: Json) => {
    const before = (await driftRecords()).length;
    await annotate(profile);
    const items = await waitFor(
      async () => {
        const now = await driftRecords();
        return now.length > before ? now : undefined;
      },
      10_000,
      'a profile-drift record for payments',
    );
    expect(items).toHaveLength(before + 1);
    return items[0];
  };
  const profile = async () =>
    (await call(stack, 'GET', '/api/v1/targets/shop/payments/profile', { headers: admin })).body;

  it('records the annotation as first seen (the sandbox seeds one), as aviary', async () => {
    const [first] = await waitFor(
      async () => {
        const items = await driftRecords();
        return items.length ? items : undefined;
      },
      10_000,
      'the first sight of the payments annotation',
    );
    expect(first).toMatchObject({ actor: 'aviary', before: null, after: { inEffect: true } });
  });

  it('records a change made outside Aviary as drift in the audit, and shows where the profile comes from', async () => {
    const record = await annotateAndWait({ autoRollback: false });
    expect(record).toMatchObject({
      actor: 'aviary',
      role: null,
      action: 'profile-drift',
      before: { annotation: { profile: { autoRollback: true } } },
      after: { annotation: { profile: { autoRollback: false } }, inEffect: true },
    });
    expect(record.reason).toMatch(/changed outside Aviary; in effect/);
    expect(await profile()).toMatchObject({ source: 'annotation', profile: { autoRollback: false } });
  });

  it('lets a profile saved through the API win, and still records the annotation changing', async () => {
    const saved = await call(stack, 'PUT', '/api/v1/targets/shop/payments/profile', {
      headers: admin,
      payload: { autoRollback: true },
    });
    expect(saved.status).toBe(200);
    const latest = await annotateAndWait({ autoRollback: false, minSamples: 1 });
    expect(latest).toMatchObject({
      actor: 'aviary',
      before: { annotation: { profile: { autoRollback: false } } },
      after: { annotation: { profile: { minSamples: 1 } }, inEffect: false },
    });
    expect(latest.reason).toMatch(/ignored: the profile saved through the API is in effect/);
    expect(await profile()).toMatchObject({ source: 'api', profile: { autoRollback: true } });
  });
});
