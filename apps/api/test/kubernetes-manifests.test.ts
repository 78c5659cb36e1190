import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The manifests as a cluster would receive them: rendered by kubectl's own Kustomize.
const root = join(import.meta.dirname, '..', '..', '..');

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are arbitrary Kubernetes objects.
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

function render(overlay: string): Manifest[] {
  const out = execFileSync(
    'kubectl',
    ['kustomize', join(root, 'deploy', 'kubernetes', 'overlays', overlay)],
    {
      encoding: 'utf8',
    },
  );
  return parseAllDocuments(out).map((d) => d.toJSON() as Manifest);
}

const find = (items: Manifest[], kind: string, name: string) => {
  const found = items.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${items.map((m) => `${m.kind}/${m.metadata.name}`)}`);
  return found;
};

describe.each(['single', 'ha'])('deploy/kubernetes/overlays/%s', (overlay) => {
  const items = render(overlay);
  const deployment = find(items, 'Deployment', 'aviary');
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((c: { name: string }) => c.name === 'aviary');

  it('runs as a non-root user with a read-only root filesystem, no privilege escalation and no capabilities', () => {
    expect(pod.serviceAccountName).toBe('aviary');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // The only writable paths: the history and /tmp.
    const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort();
    expect(mounts).toEqual(['/tmp', '/var/lib/aviary']);
  });

  it('probes /healthz for liveness and /readyz for readiness, and bounds its resources', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.port).toBe('http');
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 8080 });
    for (const kind of ['requests', 'limits'])
      expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
  });

  it('has a Service and a PodDisruptionBudget selecting its pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    const service = find(items, 'Service', 'aviary');
    const pdb = find(items, 'PodDisruptionBudget', 'aviary');
    for (const selector of [
      service.spec.selector,
      pdb.spec.selector.matchLabels,
      deployment.spec.selector.matchLabels,
    ])
      expect(labels).toMatchObject(selector);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('uses no * in any verb, resource or API group', () => {
    const roles = items.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole');
    expect(roles.length).toBeGreaterThanOrEqual(3);
    for (const role of roles) {
      for (const rule of role.rules as Rule[]) {
        for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? [])])
          expect(value, `${role.kind} ${role.metadata.name}`).not.toContain('*');
        expect(rule.nonResourceURLs).toBeUndefined();
      }
    }
  });

  it('reads cluster-wide, writes only in target namespaces, and holds its Lease in its own namespace', () => {
    const clusterRole = find(items, 'ClusterRole', 'aviary-discovery');
    const clusterVerbs = new Set((clusterRole.rules as Rule[]).flatMap((r) => r.verbs ?? []));
    expect([...clusterVerbs].sort()).toEqual(['list', 'watch']);
    const rollouts = find(items, 'Role', 'aviary-rollouts');
    expect(rollouts.metadata.namespace).toBe('shop');
    const lease = find(items, 'Role', 'aviary-leader-election');
    expect(lease.metadata.namespace).toBe('aviary');
    expect(lease.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
    // Every role is bound to Aviary's ServiceAccount and to nothing else.
    for (const binding of items.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'aviary', namespace: 'aviary' }]);
      find(items, binding.roleRef.kind, binding.roleRef.name);
      if (binding.kind === 'RoleBinding') {
        expect(binding.metadata.namespace).toBe(find(items, 'Role', binding.roleRef.name).metadata.namespace);
      }
    }
  });

  it('points the lease setting at the namespace of the Lease Role', () => {
    const config = find(items, 'ConfigMap', 'aviary');
    expect(config.data.AVIARY_LEASE_NAMESPACE).toBe(
      find(items, 'Role', 'aviary-leader-election').metadata.namespace,
    );
    expect(container.envFrom).toContainEqual({ configMapRef: { name: 'aviary' } });
  });
});

describe('the overlays differ where they should', () => {
  it('single: one replica, SQLite on a PersistentVolumeClaim, the old pod gone before the new one starts', () => {
    const items = render('single');
    const deployment = find(items, 'Deployment', 'aviary');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
    const data = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data');
    expect(data).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'aviary-data' } });
    expect(find(items, 'PersistentVolumeClaim', 'aviary-data').spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('ha: several replicas, the database URL from a Secret, and a drain always leaves one', () => {
    const items = render('ha');
    const deployment = find(items, 'Deployment', 'aviary');
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'AVIARY_DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'aviary-database', key: 'url' } },
    });
    expect(find(items, 'PodDisruptionBudget', 'aviary').spec).toMatchObject({ minAvailable: 1 });
    expect(find(items, 'PodDisruptionBudget', 'aviary').spec.maxUnavailable).toBeUndefined();
  });
});
