/**
 * The kinds the sandbox API server serves, as a lookup table: discovery, OpenAPI, routing and
 * patch rules are all read from here, so adding a kind is one row.
 */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  /** Served versions; the first is the preferred (and stored) one. */
  versions: readonly string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  /** Built-in kinds accept strategic-merge patches; custom resources do not. */
  builtin: boolean;
  /** Served but never written by clients (Pods are derived from Deployments). */
  readOnly?: boolean;
  subresources?: readonly ('status' | 'scale')[];
}

const rw = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const ro = ['get', 'list', 'watch'] as const;

export const resourceTypes: readonly ResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    builtin: true,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    builtin: true,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    builtin: true,
    readOnly: true,
  },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    builtin: true,
    subresources: ['status', 'scale'],
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1'],
    kind: 'VirtualService',
    plural: 'virtualservices',
    singular: 'virtualservice',
    namespaced: true,
    shortNames: ['vs'],
    builtin: false,
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1'],
    kind: 'DestinationRule',
    plural: 'destinationrules',
    singular: 'destinationrule',
    namespaced: true,
    shortNames: ['dr'],
    builtin: false,
  },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    kind: 'HTTPRoute',
    plural: 'httproutes',
    singular: 'httproute',
    namespaced: true,
    builtin: false,
    subresources: ['status'],
  },
  {
    group: 'split.smi-spec.io',
    versions: ['v1alpha2'],
    kind: 'TrafficSplit',
    plural: 'trafficsplits',
    singular: 'trafficsplit',
    namespaced: true,
    shortNames: ['ts'],
    builtin: false,
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    kind: 'Ingress',
    plural: 'ingresses',
    singular: 'ingress',
    namespaced: true,
    shortNames: ['ing'],
    builtin: true,
    subresources: ['status'],
  },
  {
    group: 'traefik.io',
    versions: ['v1alpha1'],
    kind: 'TraefikService',
    plural: 'traefikservices',
    singular: 'traefikservice',
    namespaced: true,
    builtin: false,
  },
  {
    group: 'coordination.k8s.io',
    versions: ['v1'],
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
    builtin: true,
  },
];

export function verbsOf(rt: ResourceType): readonly string[] {
  return rt.readOnly ? ro : rw;
}

export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function preferredVersion(rt: ResourceType): string {
  return rt.versions[0]!;
}

/** The resource served at /api[s]/<group>/<version>/.../<plural>, if any. */
export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find(
    (rt) => rt.group === group && rt.plural === plural && rt.versions.includes(version),
  );
}

/** The resource named by an object's apiVersion and kind, if served. */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return resourceTypes.find(
    (rt) => rt.group === group && rt.kind === kind && rt.versions.includes(version ?? ''),
  );
}

export function resourceKey(rt: ResourceType): string {
  return `${rt.group}/${rt.plural}`;
}

/** Every served group (core excluded), in a stable order. */
export function servedGroups(): { group: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const rt of resourceTypes) {
    if (rt.group === '') continue;
    const versions = groups.get(rt.group) ?? [];
    for (const v of rt.versions) if (!versions.includes(v)) versions.push(v);
    groups.set(rt.group, versions);
  }
  return [...groups].map(([group, versions]) => ({ group, versions }));
}
