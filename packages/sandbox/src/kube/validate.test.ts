import { describe, expect, it } from 'vitest';
import { type ResourceType, resourceForKind } from './resources.ts';
import { StatusError } from './status.ts';
import type { KubeObject } from './store.ts';
import { createAdmit } from './validate.ts';

function rtOf(obj: KubeObject): ResourceType {
  const rt = resourceForKind(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`unserved kind ${obj.kind}`);
  return rt;
}

/** Admit a copy and return it (defaulted), or the 422 it raised. */
function admitted(obj: KubeObject, old?: KubeObject, admit = createAdmit()): KubeObject {
  const copy = structuredClone(obj);
  admit(rtOf(copy), copy, old);
  return copy;
}

function rejected(obj: KubeObject, old?: KubeObject): StatusError {
  try {
    admitted(obj, old);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected admission to reject the object');
}

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', version: 'stable' } },
      spec: { containers: [{ name: 'app', image: 'web:1' }] },
    },
  },
});

describe('Deployment admission', () => {
  it('defaults replicas, strategy, revisionHistoryLimit and progressDeadlineSeconds', () => {
    const { spec } = admitted(deployment());
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
  });

  it('keeps values the client set', () => {
    const dep = deployment();
    dep.spec.replicas = 0;
    dep.spec.strategy = { type: 'Recreate' };
    const { spec } = admitted(dep);
    expect(spec.replicas).toBe(0);
    expect(spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects a selector that does not match the template labels, naming the field', () => {
    const dep = deployment();
    dep.spec.selector.matchLabels = { app: 'api' };
    const err = rejected(dep);
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toMatch(
      /^Deployment\.apps "web" is invalid: spec\.template\.metadata\.labels: .*selector.* does not match template/,
    );
    expect(err.details.causes?.[0]?.field).toBe('spec.template.metadata.labels');
  });

  it('requires a selector and a container with name and image, reporting every problem', () => {
    const dep = deployment();
    delete dep.spec.selector;
    dep.spec.template.spec.containers = [{ name: 'app' }, { image: 'x:1' }];
    const fields = rejected(dep).details.causes?.map((c) => c.field);
    expect(fields).toEqual([
      'spec.selector',
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[1].name',
    ]);
    const empty = deployment();
    empty.spec.template.spec.containers = [];
    expect(rejected(empty).details.causes?.[0]?.field).toBe('spec.template.spec.containers');
  });

  it('refuses to change the selector of an existing Deployment', () => {
    const old = admitted(deployment());
    const changed = structuredClone(old);
    changed.spec.selector.matchLabels = { app: 'web', version: 'stable' };
    expect(rejected(changed, old).message).toContain('field is immutable');
  });

  it('rejects negative replicas', () => {
    const dep = deployment();
    dep.spec.replicas = -1;
    expect(rejected(dep).details.causes?.[0]?.field).toBe('spec.replicas');
  });
});

describe('Service admission', () => {
  const service = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });

  it('defaults type, protocol and targetPort and assigns distinct cluster IPs', () => {
    const admit = createAdmit();
    const a = admitted(service(), undefined, admit);
    const b = admitted(service(), undefined, admit);
    expect(a.spec.type).toBe('ClusterIP');
    expect(a.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(a.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(b.spec.clusterIP).not.toBe(a.spec.clusterIP);
  });

  it('keeps the cluster IP across updates that omit it, and refuses to change it', () => {
    const old = admitted(service());
    expect(admitted(service(), old).spec.clusterIP).toBe(old.spec.clusterIP);
    const moved = service();
    moved.spec.clusterIP = '10.96.200.200';
    expect(rejected(moved, old).message).toContain('field is immutable');
  });

  it('requires ports, each in range', () => {
    const svc = service();
    delete svc.spec.ports;
    expect(rejected(svc).details.causes?.[0]?.field).toBe('spec.ports');
    svc.spec.ports = [{ port: 70000 }];
    expect(rejected(svc).details.causes?.[0]?.field).toBe('spec.ports[0].port');
  });
});

describe('Istio admission', () => {
  const vs = (weights: unknown[]): KubeObject => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      hosts: ['web'],
      http: [
        { route: weights.map((weight, i) => ({ destination: { host: 'web', subset: `s${i}` }, weight })) },
      ],
    },
  });

  it('accepts non-negative integer weights', () => {
    expect(() => admitted(vs([90, 10]))).not.toThrow();
    expect(() => admitted(vs([100, 0]))).not.toThrow();
  });

  it.each([[-1], [12.5], ['50']])('rejects weight %j', (weight) => {
    expect(rejected(vs([weight])).details.causes?.[0]?.field).toBe('spec.http[0].route[0].weight');
  });

  it('requires hosts on a VirtualService (v1beta1 too)', () => {
    const obj = vs([100]);
    obj.apiVersion = 'networking.istio.io/v1beta1';
    obj.spec.hosts = [];
    expect(rejected(obj).details.causes?.[0]?.field).toBe('spec.hosts');
  });

  it('requires a host and named, unique subsets on a DestinationRule', () => {
    const dr: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'web' },
      spec: { subsets: [{ name: 'stable' }, { labels: {} }, { name: 'stable' }] },
    };
    expect(rejected(dr).details.causes?.map((c) => c.field)).toEqual([
      'spec.host',
      'spec.subsets[1].name',
      'spec.subsets[2].name',
    ]);
  });
});

describe('metadata admission', () => {
  it.each(['Web', 'web_1', '-web', 'a'.repeat(254)])('rejects the name %j', (name) => {
    const dep = deployment();
    dep.metadata.name = name;
    expect(rejected(dep).details.causes?.[0]?.field).toBe('metadata.name');
  });

  it('requires namespace names to be DNS labels (no dots)', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } };
    expect(rejected(ns).details.causes?.[0]?.field).toBe('metadata.name');
    const ok = admitted({ ...ns, metadata: { name: 'shop' } });
    expect(ok.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(ok.status).toEqual({ phase: 'Active' });
  });

  it.each([
    [{ 'bad key!': 'x' }],
    [{ app: 'has space' }],
    [{ app: 'x'.repeat(64) }],
    [{ 'UPPER.example.com/app': 'x' }],
  ])('rejects labels %j', (labels) => {
    const dep = deployment();
    dep.metadata.labels = labels;
    expect(rejected(dep).details.causes?.[0]?.field).toBe('metadata.labels');
  });

  it('accepts prefixed keys and empty values', () => {
    const dep = deployment();
    dep.metadata.labels = { 'app.kubernetes.io/name': 'web', empty: '' };
    expect(() => admitted(dep)).not.toThrow();
  });
});
