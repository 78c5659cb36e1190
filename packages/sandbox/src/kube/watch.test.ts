import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceTypes } from './resources.ts';
import { ObjectStore } from './store.ts';
import {
  type TestServer,
  deployment,
  namespace,
  openWatch,
  startTestServer,
  virtualService,
} from './testing.ts';
import { createAdmit } from './validate.ts';

/** A store that counts live subscriptions, to see watches let go of theirs. */
class CountingStore extends ObjectStore {
  active = 0;
  override subscribe(listener: Parameters<ObjectStore['subscribe']>[0]): () => void {
    const unsubscribe = super.subscribe(listener);
    this.active++;
    let done = false;
    return () => {
      if (!done) this.active--;
      done = true;
      unsubscribe();
    };
  }
}

let t: TestServer;
let store: CountingStore;
const deps = '/apis/apps/v1/namespaces/shop/deployments';
const vss = '/apis/networking.istio.io/v1/namespaces/shop/virtualservices';

beforeAll(async () => {
  store = new CountingStore(createAdmit());
  t = await startTestServer({ store, bookmarkIntervalMs: 50 });
  await t.api('POST', '/api/v1/namespaces', namespace('shop'));
});
afterAll(() => t.close());

const waitFor = async (cond: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('watch', () => {
  it('starts with ADDED for current objects, then streams changes as chunked JSON lines', async () => {
    await t.api('POST', vss, virtualService('w1'));
    const w = await openWatch(`${t.url}${vss}?watch=true&fieldSelector=metadata.name%3Dw1`);
    expect(w.status).toBe(200);
    expect(w.headers.get('content-type')).toBe('application/json');
    expect(w.headers.get('transfer-encoding')).toBe('chunked');
    const added = await w.next();
    expect(added).toMatchObject({
      type: 'ADDED',
      object: { kind: 'VirtualService', metadata: { name: 'w1' } },
    });

    await t.api('POST', vss, virtualService('w1-other'));
    await t.api(
      'PATCH',
      `${vss}/w1`,
      [{ op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 }],
      'application/json-patch+json',
    );
    const modified = await w.next();
    expect(modified?.type).toBe('MODIFIED');
    expect(modified?.object.spec.http[0].route[0].weight).toBe(80);

    await t.api('DELETE', `${vss}/w1`);
    expect(await w.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'w1' } } });
    w.close();
  });

  it('resumes from a resourceVersion, replaying what happened since', async () => {
    const { body } = await t.api('POST', deps, deployment('resume'));
    const from = body.metadata.resourceVersion;
    await t.api('PATCH', `${deps}/resume`, { spec: { replicas: 2 } }, 'application/merge-patch+json');
    await t.api('PATCH', `${deps}/resume`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    const w = await openWatch(`${t.url}${deps}?watch=1&resourceVersion=${from}`);
    const first = await w.next();
    const second = await w.next();
    expect([first?.type, first?.object.spec.replicas]).toEqual(['MODIFIED', 2]);
    expect([second?.type, second?.object.spec.replicas]).toEqual(['MODIFIED', 3]);
    expect(Number(second?.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(first?.object.metadata.resourceVersion),
    );
    await t.api('PATCH', `${deps}/resume`, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    expect((await w.next())?.object.spec.replicas).toBe(4);
    w.close();
  });

  it('filters by namespace and reports objects leaving a label selector as DELETED', async () => {
    await t.api('POST', '/api/v1/namespaces', namespace('elsewhere'));
    const w = await openWatch(`${t.url}${deps}?watch=true&labelSelector=track%3Dcanary&resourceVersion=0`);
    await t.api(
      'POST',
      '/apis/apps/v1/namespaces/elsewhere/deployments',
      deployment('far', { labels: { track: 'canary' } }),
    );
    await t.api('POST', deps, deployment('sel', { labels: { track: 'canary' } }));
    expect(await w.next()).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'sel', namespace: 'shop' } },
    });
    await t.api(
      'PATCH',
      `${deps}/sel`,
      { metadata: { labels: { track: 'stable' } } },
      'application/merge-patch+json',
    );
    expect(await w.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'sel' } } });
    await t.api(
      'PATCH',
      `${deps}/sel`,
      { metadata: { labels: { track: 'canary' } } },
      'application/merge-patch+json',
    );
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'sel' } } });
    w.close();
  });

  it('sends a 410 Gone ERROR event for a resourceVersion older than history', async () => {
    const ephemeral = new ObjectStore();
    const srv = await startTestServer({ store: ephemeral });
    const lease = resourceTypes.find((rt) => rt.kind === 'Lease')!;
    ephemeral.create(lease, 'shop', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: {},
    });
    for (let i = 0; i < 20_050; i++) {
      const cur = ephemeral.get(lease, 'shop', 'l')!;
      ephemeral.update(
        lease,
        'shop',
        'l',
        { ...cur, spec: { holderIdentity: String(i) } },
        { trusted: true },
      );
    }
    const w = await openWatch(
      `${srv.url}/apis/coordination.k8s.io/v1/namespaces/shop/leases?watch=true&resourceVersion=2`,
    );
    expect(w.status).toBe(200);
    const event = await w.next();
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Gone' } });
    expect(await w.next()).toBeUndefined();
    await srv.close();
  });

  it('sends bookmarks when allowed and ends at timeoutSeconds', async () => {
    const started = Date.now();
    const w = await openWatch(
      `${t.url}${deps}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone`,
    );
    const bookmark = await w.next();
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Deployment', apiVersion: 'apps/v1' },
    });
    expect(bookmark?.object.metadata.resourceVersion).toBe(store.resourceVersion);
    let event = bookmark;
    while (event) event = await w.next(3000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
  });

  it('lets go of its subscription when the client disconnects', async () => {
    await waitFor(() => store.active === 0);
    const w = await openWatch(`${t.url}${deps}?watch=true`);
    await waitFor(() => store.active === 1);
    w.close();
    await waitFor(() => store.active === 0);
  });

  it('ends open watches when the server closes', async () => {
    const srv = await startTestServer();
    const w = await openWatch(`${srv.url}/apis/apps/v1/deployments?watch=true`);
    const closed = srv.close();
    expect(await w.next()).toBeUndefined();
    await closed;
  });
});
