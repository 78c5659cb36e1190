import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceTypes } from './resources.ts';
import { type TestServer, deployment, namespace, startTestServer, virtualService } from './testing.ts';

let t: TestServer;
const deps = '/apis/apps/v1/namespaces/shop/deployments';
const vss = '/apis/networking.istio.io/v1/namespaces/shop/virtualservices';

beforeAll(async () => {
  t = await startTestServer();
  expect((await t.api('POST', '/api/v1/namespaces', namespace('shop'))).status).toBe(201);
});
afterAll(() => t.close());

describe('discovery', () => {
  it('reports a 1.32 server version', async () => {
    const { body } = await t.api('GET', '/version');
    expect(body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-aviary-sandbox' });
  });

  it('answers plain APIGroupList even when aggregated discovery is preferred', async () => {
    const res = await fetch(`${t.url}/apis`, {
      headers: {
        accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as {
      kind: string;
      groups: { name: string; preferredVersion: unknown; versions: { version: string }[] }[];
    };
    expect(body.kind).toBe('APIGroupList');
    const istio = body.groups.find((g) => g.name === 'networking.istio.io')!;
    expect(istio.preferredVersion).toEqual({ groupVersion: 'networking.istio.io/v1', version: 'v1' });
    expect(istio.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect((await t.api('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('lists resources with verbs, short names and subresources', async () => {
    const { body } = await t.api('GET', '/apis/apps/v1');
    expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
    const byName = Object.fromEntries(body.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.deployments).toMatchObject({
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      shortNames: ['deploy'],
    });
    expect(byName.deployments.verbs).toContain('watch');
    expect(byName['deployments/scale']).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(byName['deployments/status']).toMatchObject({
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    });
    const core = (await t.api('GET', '/api/v1')).body;
    const pods = core.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods.verbs).toEqual(['get', 'list', 'watch']);
    expect((await t.api('GET', '/apis/networking.istio.io/v1beta1')).body.groupVersion).toBe(
      'networking.istio.io/v1beta1',
    );
  });

  it('publishes OpenAPI v3 with a PATCH per kind carrying its GVK and fieldValidation', async () => {
    const index = (await t.api('GET', '/openapi/v3')).body;
    for (const rt of resourceTypes) {
      for (const version of rt.versions) {
        const key = rt.group === '' ? `api/${version}` : `apis/${rt.group}/${version}`;
        const doc = (await t.api('GET', index.paths[key].serverRelativeURL)).body;
        const patchOps = Object.values(doc.paths as Record<string, { patch?: Record<string, unknown> }>)
          .map((item) => item.patch)
          .filter((op) => op !== undefined);
        const found = patchOps.find(
          (op) =>
            JSON.stringify(op['x-kubernetes-group-version-kind']) ===
            JSON.stringify({ group: rt.group, version, kind: rt.kind }),
        );
        if (rt.readOnly) {
          expect(found).toBeUndefined();
          continue;
        }
        expect(found, `${rt.kind} ${version}`).toBeDefined();
        expect((found!.parameters as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');
      }
    }
  });
});

describe('CRUD', () => {
  it('creates with defaults, refuses duplicates, reads, updates and deletes', async () => {
    const created = await t.api('POST', deps, deployment('web'));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'web', namespace: 'shop', generation: 1 });
    expect(created.body.spec.replicas).toBe(1);
    expect(created.body.metadata.uid).toBeTruthy();

    const dup = await t.api('POST', deps, deployment('web'));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'deployments.apps "web" already exists',
    });

    const got = await t.api('GET', `${deps}/web`);
    expect(got.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);

    const next = structuredClone(got.body);
    next.spec.replicas = 3;
    const updated = await t.api('PUT', `${deps}/web`, next);
    expect(updated.status).toBe(200);
    expect(updated.body.metadata.generation).toBe(2);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(got.body.metadata.resourceVersion),
    );

    const deleted = await t.api('DELETE', `${deps}/web`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'Deployment', metadata: { name: 'web' } });
    const gone = await t.api('GET', `${deps}/web`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'deployments.apps "web" not found',
      code: 404,
    });
  });

  it('answers a stale update with 409 Conflict and the API server message', async () => {
    const { body: v1 } = await t.api('POST', deps, deployment('stale'));
    const fresh = await t.api('PUT', `${deps}/stale`, { ...v1, spec: { ...v1.spec, replicas: 2 } });
    expect(fresh.status).toBe(200);
    const stale = await t.api('PUT', `${deps}/stale`, { ...v1, spec: { ...v1.spec, replicas: 5 } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await t.api('GET', `${deps}/stale`)).body.spec.replicas).toBe(2);
  });

  it('refuses to create in a missing namespace', async () => {
    const res = await t.api('POST', '/apis/apps/v1/namespaces/nowhere/deployments', deployment('x'));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nowhere" not found');
  });

  it('rejects invalid objects with 422 and causes', async () => {
    const bad = deployment('bad');
    bad.spec.template.metadata.labels = { app: 'other' };
    const res = await t.api('POST', deps, bad);
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes[0].field).toBe('spec.template.metadata.labels');
  });

  it('lists per namespace and across namespaces with label and field selectors', async () => {
    await t.api('POST', '/api/v1/namespaces', namespace('other'));
    await t.api('POST', deps, deployment('list-a', { labels: { tier: 'front' } }));
    await t.api('POST', deps, deployment('list-b', { labels: { tier: 'back' } }));
    await t.api(
      'POST',
      '/apis/apps/v1/namespaces/other/deployments',
      deployment('list-c', { labels: { tier: 'front' } }),
    );
    const names = async (path: string) =>
      ((await t.api('GET', path)).body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);

    const all = await t.api(
      'GET',
      `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent('tier in (front,back)')}`,
    );
    expect(all.body).toMatchObject({ kind: 'DeploymentList', apiVersion: 'apps/v1' });
    expect(Number(all.body.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(all.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'list-c',
      'list-a',
      'list-b',
    ]);
    expect(await names(`${deps}?labelSelector=tier%3Dfront`)).toEqual(['list-a']);
    expect(await names(`${deps}?labelSelector=tier!%3Dfront,tier`)).toEqual(['list-b']);
    expect(await names('/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Dother')).toEqual([
      'list-c',
    ]);
    expect(await names(`${deps}?fieldSelector=metadata.name%3Dlist-b`)).toEqual(['list-b']);
    expect((await t.api('GET', `${deps}?labelSelector=in%20(`)).status).toBe(400);
    expect((await t.api('GET', `${deps}?fieldSelector=spec.x%3D1`)).status).toBe(400);
  });

  it('deletes a collection by label selector and returns what it deleted', async () => {
    await t.api('POST', deps, deployment('col-a', { labels: { batch: 'x' } }));
    await t.api('POST', deps, deployment('col-b', { labels: { batch: 'x' } }));
    const res = await t.api('DELETE', `${deps}?labelSelector=batch%3Dx`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'col-a',
      'col-b',
    ]);
    expect((await t.api('GET', `${deps}?labelSelector=batch%3Dx`)).body.items).toEqual([]);
  });

  it('does not persist dryRun=All writes', async () => {
    const res = await t.api(
      'POST',
      `${deps}?dryRun=All&fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
      deployment('dry'),
    );
    expect(res.status).toBe(201);
    expect(res.body.spec.replicas).toBe(1);
    expect((await t.api('GET', `${deps}/dry`)).status).toBe(404);
  });

  it('serves the same VirtualService at v1 and v1beta1', async () => {
    const created = await t.api('POST', '/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices', {
      ...virtualService('both'),
      apiVersion: 'networking.istio.io/v1beta1',
    });
    expect(created.body.apiVersion).toBe('networking.istio.io/v1beta1');
    expect((await t.api('GET', `${vss}/both`)).body.apiVersion).toBe('networking.istio.io/v1');
    const list = await t.api('GET', '/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices');
    expect(list.body.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(
      list.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'both').apiVersion,
    ).toBe('networking.istio.io/v1beta1');
  });

  it('refuses client writes to pods with 405 but serves reads', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    const res = await t.api('POST', '/api/v1/namespaces/shop/pods', pod);
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
    expect((await t.api('DELETE', '/api/v1/namespaces/shop/pods/p')).status).toBe(405);
    expect((await t.api('GET', '/api/v1/namespaces/shop/pods')).body.kind).toBe('PodList');
  });

  it('writes status only through /status, without moving generation', async () => {
    const { body: dep } = await t.api('POST', deps, deployment('stat'));
    const withStatus = await t.api('PUT', `${deps}/stat/status`, {
      ...dep,
      status: { replicas: 1 },
      spec: { ...dep.spec, replicas: 9 },
    });
    expect(withStatus.status).toBe(200);
    expect(withStatus.body.status).toEqual({ replicas: 1 });
    expect(withStatus.body.spec.replicas).toBe(1);
    expect(withStatus.body.metadata.generation).toBe(1);
    const main = await t.api('PUT', `${deps}/stat`, { ...withStatus.body, status: { replicas: 42 } });
    expect(main.body.status).toEqual({ replicas: 1 });
  });

  it('scales through the autoscaling/v1 Scale subresource', async () => {
    await t.api('POST', deps, deployment('sc', { replicas: 2 }));
    const scale = await t.api('GET', `${deps}/sc/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { selector: 'app=sc' },
    });
    const put = await t.api('PUT', `${deps}/sc/scale`, { ...scale.body, spec: { replicas: 4 } });
    expect(put.body.spec.replicas).toBe(4);
    const patched = await t.api(
      'PATCH',
      `${deps}/sc/scale`,
      { spec: { replicas: 6 } },
      'application/merge-patch+json',
    );
    expect(patched.body.spec.replicas).toBe(6);
    expect((await t.api('GET', `${deps}/sc`)).body.spec.replicas).toBe(6);
    expect((await t.api('PUT', `${deps}/sc/scale`, { ...scale.body, spec: { replicas: 1 } })).status).toBe(
      409,
    );
  });

  it('deletes a namespace with everything in it', async () => {
    await t.api('POST', '/api/v1/namespaces', namespace('doomed'));
    await t.api('POST', '/apis/apps/v1/namespaces/doomed/deployments', deployment('d'));
    expect((await t.api('DELETE', '/api/v1/namespaces/doomed')).status).toBe(200);
    expect((await t.api('GET', '/apis/apps/v1/namespaces/doomed/deployments/d')).status).toBe(404);
  });
});

describe('patch', () => {
  it('applies merge, json and strategic merge patches', async () => {
    await t.api('POST', deps, deployment('p'));
    const merge = await t.api(
      'PATCH',
      `${deps}/p`,
      { metadata: { labels: { extra: 'yes' } } },
      'application/merge-patch+json',
    );
    expect(merge.body.metadata.labels).toEqual({ app: 'p', extra: 'yes' });

    const json = await t.api(
      'PATCH',
      `${deps}/p`,
      [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      'application/json-patch+json',
    );
    expect(json.body.spec.replicas).toBe(3);

    const smp = await t.api(
      'PATCH',
      `${deps}/p`,
      { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.status).toBe(200);
    expect(smp.body.spec.template.spec.containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(smp.body.spec.template.spec.containers[0].image).toBe('p:1');
  });

  it('rejects a failing json patch test with 422 and changes nothing', async () => {
    await t.api('POST', vss, virtualService('jt'));
    const res = await t.api(
      'PATCH',
      `${vss}/jt`,
      [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'test', path: '/spec/http/0/route/1/weight', value: 5 },
      ],
      'application/json-patch+json',
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    expect((await t.api('GET', `${vss}/jt`)).body.spec.http[0].route[0].weight).toBe(100);
  });

  it('answers 415 for strategic merge on custom resources and for unknown patch types', async () => {
    await t.api('POST', vss, virtualService('sm'));
    const smp = await t.api(
      'PATCH',
      `${vss}/sm`,
      { spec: { hosts: ['x'] } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.status).toBe(415);
    expect(smp.body.reason).toBe('UnsupportedMediaType');
    expect((await t.api('PATCH', `${deps}/p`, 'x', 'text/plain')).status).toBe(415);
    expect((await t.api('POST', deps, 'x', 'application/vnd.kubernetes.protobuf')).status).toBe(415);
  });

  it('answers 409 to a patch carrying a stale resourceVersion', async () => {
    const { body } = await t.api('POST', vss, virtualService('rv'));
    await t.api('PATCH', `${vss}/rv`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
    const res = await t.api(
      'PATCH',
      `${vss}/rv`,
      { metadata: { resourceVersion: body.metadata.resourceVersion }, spec: { hosts: ['y'] } },
      'application/merge-patch+json',
    );
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('Conflict');
  });

  it('validates the patched object', async () => {
    await t.api('POST', vss, virtualService('neg'));
    const res = await t.api(
      'PATCH',
      `${vss}/neg`,
      [{ op: 'replace', path: '/spec/http/0/route/0/weight', value: -5 }],
      'application/json-patch+json',
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].field).toBe('spec.http[0].route[0].weight');
  });
});

describe('bad input', () => {
  it.each([
    ['POST', deps, '{not json', 400],
    ['POST', deps, '[1,2]', 400],
    ['POST', deps, JSON.stringify({ ...virtualService('x') }), 400],
    ['PATCH', `${deps}/missing`, '{}', 404],
    ['GET', '/apis/apps/v1/namespaces/shop/widgets', undefined, 404],
    ['GET', '/apis/apps/v1/deployments/name-without-namespace', undefined, 404],
    ['GET', '/api/v1/namespaces/shop/namespaces', undefined, 404],
    ['GET', `${deps}/web/logs`, undefined, 404],
    ['GET', `${deps}/%E0%A4%A`, undefined, 400],
    ['POST', `${deps}/named`, '{}', 405],
    ['GET', `${deps}?watch=true&resourceVersion=abc`, undefined, 400],
    ['PUT', `${deps}?dryRun=Some`, '{}', 405],
    ['POST', `${deps}?dryRun=Some`, JSON.stringify(deployment('d')), 400],
  ])('%s %s → %i Status', async (method, path, body, code) => {
    const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const res = await t.api(method, path, body, contentType);
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
  });
});
