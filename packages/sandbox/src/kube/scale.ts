import type { ResourceRoute } from './route.ts';
import { formatMatchLabels } from './selectors.ts';
import { conflict, invalid } from './status.ts';
import type { KubeObject, ObjectStore, WriteOptions } from './store.ts';

/** The `/scale` subresource: an autoscaling/v1 Scale view of a Deployment's replicas. */
function scaleOf(dep: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = dep.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: dep.spec?.replicas ?? 0 },
    status: {
      replicas: dep.status?.replicas ?? 0,
      selector: formatMatchLabels(dep.spec?.selector?.matchLabels),
    },
  };
}

export function getScale(store: ObjectStore, route: ResourceRoute): KubeObject {
  return scaleOf(store.mustGet(route.rt, route.namespace, route.name!));
}

export function updateScale(
  store: ObjectStore,
  route: ResourceRoute,
  scale: KubeObject,
  opts: WriteOptions,
): KubeObject {
  const { rt, namespace } = route;
  const name = route.name!;
  const dep = store.mustGet(rt, namespace, name);
  const sent = scale.metadata?.resourceVersion;
  if (sent && sent !== dep.metadata.resourceVersion) throw conflict(rt.plural, rt.group, name);
  const replicas: unknown = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  dep.spec = { ...dep.spec, replicas };
  return scaleOf(store.update(rt, namespace, name, dep, opts));
}
