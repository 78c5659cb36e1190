import type { IncomingMessage } from 'node:http';
import type { ResourceType } from './resources.ts';
import type { KubeObject } from './store.ts';

/**
 * Server-side printing: when kubectl asks for `as=Table` it prints whatever columns the server
 * sends, so `kubectl get deploy` shows READY / UP-TO-DATE / AVAILABLE as on a real cluster
 * instead of only NAME and AGE. Columns are a lookup table per kind.
 */
interface Column {
  name: string;
  type: 'string' | 'integer';
  /** 0 for the default view, 1 for `-o wide` only. */
  priority: 0 | 1;
  cell: (obj: KubeObject) => string | number;
}

const str = (name: string, cell: Column['cell'], priority: 0 | 1 = 0): Column => ({
  name,
  type: 'string',
  priority,
  cell,
});
const int = (name: string, cell: (obj: KubeObject) => number): Column => ({
  name,
  type: 'integer',
  priority: 0,
  cell,
});
const none = (v: string) => (v === '' ? '<none>' : v);

const name = str('Name', (o) => o.metadata.name);
const age = str('Age', (o) => humanAge(o.metadata.creationTimestamp));
const containersOf = (o: KubeObject): { name?: string; image?: string }[] =>
  o.spec?.template?.spec?.containers ?? o.spec?.containers ?? [];

const columnsByKind: Readonly<Record<string, readonly Column[]>> = {
  Deployment: [
    name,
    str('Ready', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`),
    int('Up-to-date', (o) => o.status?.updatedReplicas ?? 0),
    int('Available', (o) => o.status?.availableReplicas ?? 0),
    age,
    str(
      'Containers',
      (o) =>
        containersOf(o)
          .map((c) => c.name)
          .join(','),
      1,
    ),
    str(
      'Images',
      (o) =>
        containersOf(o)
          .map((c) => c.image)
          .join(','),
      1,
    ),
    str('Selector', (o) => labelsText(o.spec?.selector?.matchLabels), 1),
  ],
  Pod: [
    name,
    str('Ready', (o) => {
      const statuses: { ready?: boolean }[] = o.status?.containerStatuses ?? [];
      return `${statuses.filter((s) => s.ready).length}/${containersOf(o).length}`;
    }),
    str('Status', (o) => o.status?.reason ?? o.status?.phase ?? 'Pending'),
    int('Restarts', (o) =>
      ((o.status?.containerStatuses ?? []) as { restartCount?: number }[]).reduce(
        (n, s) => n + (s.restartCount ?? 0),
        0,
      ),
    ),
    age,
    str('IP', (o) => o.status?.podIP ?? '<none>', 1),
  ],
  Service: [
    name,
    str('Type', (o) => o.spec?.type ?? 'ClusterIP'),
    str('Cluster-IP', (o) => o.spec?.clusterIP ?? '<none>'),
    str('External-IP', (o) => none((o.spec?.externalIPs ?? []).join(','))),
    str('Port(s)', (o) =>
      none(
        ((o.spec?.ports ?? []) as { port?: number; nodePort?: number; protocol?: string }[])
          .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
          .join(','),
      ),
    ),
    age,
    str('Selector', (o) => labelsText(o.spec?.selector), 1),
  ],
  Namespace: [name, str('Status', (o) => o.status?.phase ?? 'Active'), age],
  VirtualService: [
    name,
    str('Gateways', (o) => JSON.stringify(o.spec?.gateways ?? [])),
    str('Hosts', (o) => JSON.stringify(o.spec?.hosts ?? [])),
    age,
  ],
  DestinationRule: [name, str('Host', (o) => o.spec?.host ?? ''), age],
  HTTPRoute: [name, str('Hostnames', (o) => JSON.stringify(o.spec?.hostnames ?? [])), age],
};

function labelsText(labels: Record<string, string> | undefined): string {
  return none(
    Object.entries(labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  );
}

/** Kubernetes' `duration.HumanDuration`, as the AGE column shows it. */
export function humanAge(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const s = Math.floor((now - Date.parse(timestamp)) / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 === 0 || y >= 8 ? `${y}y` : `${y}y${d % 365}d`;
}

/** True when the client asked for a meta.k8s.io Table (kubectl's default `get` output). */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('as=Table') && accept.includes('g=meta.k8s.io');
}

export function toTable(rt: ResourceType, objects: readonly KubeObject[], resourceVersion: string) {
  const columns = columnsByKind[rt.kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c === name ? 'name' : '',
      description: '',
      priority: c.priority,
    })),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => c.cell(obj)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}
