import { type ResourceType, groupVersion, resourceTypes, servedGroups, verbsOf } from './resources.ts';

/** What `/version` reports: a 1.32 server, matching the kubectl on these machines (no skew warning). */
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-aviary-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** `kubectl get all` lists the kinds in the `all` category. */
const allCategory = new Set(['Service', 'Pod', 'Deployment']);

const subresourceVerbs = ['get', 'patch', 'update'];

function resourceEntries(rt: ResourceType): object[] {
  const main = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: verbsOf(rt),
    ...(rt.shortNames ? { shortNames: rt.shortNames } : {}),
    ...(allCategory.has(rt.kind) ? { categories: ['all'] } : {}),
  };
  const subs = (rt.subresources ?? []).map((sub) =>
    sub === 'scale'
      ? {
          name: `${rt.plural}/scale`,
          singularName: '',
          namespaced: rt.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: subresourceVerbs,
        }
      : {
          name: `${rt.plural}/status`,
          singularName: '',
          namespaced: rt.namespaced,
          kind: rt.kind,
          verbs: subresourceVerbs,
        },
  );
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): object | undefined {
  const rts = resourceTypes.filter((rt) => rt.group === group && rt.versions.includes(version));
  if (rts.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: rts.flatMap(resourceEntries),
  };
}

function apiGroup(group: string, versions: readonly string[]) {
  const entries = versions.map((version) => ({ groupVersion: groupVersion(group, version), version }));
  return { name: group, versions: entries, preferredVersion: entries[0]! };
}

export function apiGroupDoc(group: string): object | undefined {
  const served = servedGroups().find((g) => g.group === group);
  return served && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(served.group, served.versions) };
}

export function apiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups().map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/**
 * Discovery documents never change while the process runs, so each is serialized once. Paths
 * are exactly the ones a client asks for (`/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`).
 */
export function discoveryDocuments(): Map<string, string> {
  const docs = new Map<string, string>();
  docs.set('/version', JSON.stringify(serverVersion));
  docs.set('/apis', JSON.stringify(apiGroupList()));
  docs.set('/api/v1', JSON.stringify(apiResourceList('', 'v1')));
  for (const { group, versions } of servedGroups()) {
    docs.set(`/apis/${group}`, JSON.stringify(apiGroupDoc(group)));
    for (const v of versions) docs.set(`/apis/${group}/${v}`, JSON.stringify(apiResourceList(group, v)));
  }
  return docs;
}
