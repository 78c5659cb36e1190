import { describe, expect, it } from 'vitest';
import type { Json } from './patch.ts';
import { strategicMergePatch } from './strategic-merge.ts';

const fixture = {
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:1',
            args: ['--a', '--b'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 8080, name: 'http' }],
            volumeMounts: [{ mountPath: '/data', name: 'data' }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
  status: { conditions: [{ type: 'Available', status: 'True' }] },
};

type Fixture = typeof fixture;
// `emptyDir: {}` is typed `{}`, which TypeScript will not take as Json.
const deployment = fixture as unknown as Json;

const containers = (obj: Json) => (obj as Fixture).spec.template.spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name and env by name instead of replacing the lists', () => {
    const out = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: { containers: [{ name: 'app', image: 'web:2', env: [{ name: 'C', value: '3' }] }] },
        },
      },
    });
    const [app, sidecar] = containers(out);
    expect(app?.image).toBe('web:2');
    expect(app?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    expect(app?.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'proxy:1' });
  });

  it('applies what kubectl apply sends: $setElementOrder and $patch: delete', () => {
    // Captured from `kubectl apply` (client 1.32) after removing env B and adding env Z first.
    const out = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'Z' }, { name: 'A' }],
                env: [
                  { name: 'Z', value: '0' },
                  { $patch: 'delete', name: 'B' },
                ],
                name: 'app',
              },
            ],
          },
        },
      },
    });
    expect(containers(out as unknown as Json)[0]?.env).toEqual([
      { name: 'Z', value: '0' },
      { name: 'A', value: '1' },
    ]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('reorders containers as $setElementOrder says', () => {
    const out = strategicMergePatch(deployment, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } } },
    });
    expect(containers(out).map((c) => c.name)).toEqual(['sidecar', 'app']);
  });

  it('replaces atomic lists (args) and merges ports by containerPort', () => {
    const out = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: { containers: [{ name: 'app', args: ['--c'], ports: [{ containerPort: 9090 }] }] },
        },
      },
    });
    expect(containers(out as unknown as Json)[0]?.args).toEqual(['--c']);
    expect(containers(out as unknown as Json)[0]?.ports).toEqual([
      { containerPort: 8080, name: 'http' },
      { containerPort: 9090 },
    ]);
  });

  it('merges Service ports by port', () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    const out = strategicMergePatch(svc, {
      spec: {
        ports: [
          { port: 80, targetPort: 9090 },
          { port: 443, name: 'https' },
        ],
      },
    });
    expect(out).toEqual({
      spec: {
        ports: [
          { name: 'http', port: 80, targetPort: 9090 },
          { port: 443, name: 'https' },
        ],
      },
    });
  });

  it('honours $patch: replace on a map and on a list', () => {
    const map = strategicMergePatch(deployment, {
      spec: { strategy: { $patch: 'replace', type: 'Recreate' } },
    });
    expect((map as Fixture).spec.strategy).toEqual({ type: 'Recreate' });
    const list = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'only', image: 'x:1' }, { $patch: 'replace' }] } } },
    });
    expect(containers(list)).toEqual([{ name: 'only', image: 'x:1' }]);
  });

  it('deletes a map with $patch: delete and a key with null', () => {
    const out = strategicMergePatch(deployment, {
      spec: { strategy: { $patch: 'delete' }, replicas: null },
    }) as Fixture;
    expect(out.spec.strategy).toBeUndefined();
    expect(out.spec.replicas).toBeUndefined();
  });

  it('keeps only $retainKeys in a map', () => {
    const out = strategicMergePatch(deployment, {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    });
    expect((out as Fixture).spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('deletes from primitive lists and merges finalizers as a set', () => {
    const out = strategicMergePatch(deployment, {
      metadata: { finalizers: ['b', 'a'] },
      spec: {
        template: { spec: { containers: [{ name: 'app', '$deleteFromPrimitiveList/args': ['--a'] }] } },
      },
    }) as Fixture;
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
    expect(containers(out as unknown as Json)[0]?.args).toEqual(['--b']);
  });

  it('merges status conditions by type and volumeMounts by mountPath', () => {
    const out = strategicMergePatch(deployment, {
      status: {
        conditions: [
          { type: 'Progressing', status: 'True' },
          { type: 'Available', status: 'False' },
        ],
      },
      spec: {
        template: {
          spec: { containers: [{ name: 'app', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] },
        },
      },
    }) as Fixture;
    expect(out.status.conditions).toEqual([
      { type: 'Available', status: 'False' },
      { type: 'Progressing', status: 'True' },
    ]);
    expect(containers(out as unknown as Json)[0]?.volumeMounts).toEqual([
      { mountPath: '/data', name: 'data', readOnly: true },
    ]);
  });

  it('never stores directives, even inside newly added items', () => {
    const out = strategicMergePatch(
      {},
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'new', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A' }] }],
            },
          },
        },
        $patch: 'merge',
      },
    );
    expect(out).toEqual({
      spec: { template: { spec: { containers: [{ name: 'new', env: [{ name: 'A' }] }] } } },
    });
  });
});
