import { resourceForKind } from './kube/resources.ts';
import type { KubeObject, ObjectStore } from './kube/store.ts';

export const seedNamespace = 'shop';
export const seedServices = ['checkout', 'catalog', 'payments'] as const;

/**
 * The metric profile the seeded services carry in their VirtualService's `aviary.dev/profile`
 * annotation: Aviary's defaults plus checkout conversion as a business metric, so a `-lowconv`
 * canary fails its gate on conversion while its error rate and latency look fine.
 */
export const seedProfile = {
  minBakeSeconds: 30,
  minSamples: 100,
  business: [
    {
      name: 'checkout-conversion',
      numerator:
        'sum(increase(shop_checkouts_completed_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
      denominator:
        'sum(increase(shop_checkouts_started_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
      direction: 'higher-is-better',
      tolerance: 0.05,
    },
  ],
};

/** The stable image every seeded service starts on (see IMAGES.md for the catalogue). */
export function stableImage(service: string): string {
  return `registry.local/shop/${service}:1.0.0`;
}

/**
 * The objects a fresh sandbox holds: namespace `shop` and, per service, a stable Deployment,
 * a Service, a DestinationRule with `stable`/`canary` subsets by the `version` label, and a
 * VirtualService sending 100% to `stable` and 0% to `canary` — the shape Aviary discovers.
 */
export function seedObjects(
  namespace = seedNamespace,
  services: readonly string[] = seedServices,
): KubeObject[] {
  // `default` and `kube-system` exist on every cluster; tools put their Leases there.
  const objects: KubeObject[] = ['default', 'kube-system', namespace].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  for (const name of services) {
    const host = `${name}.${namespace}.svc.cluster.local`;
    objects.push(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels: { app: name } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: name, version: 'stable' } },
          template: {
            metadata: { labels: { app: name, version: 'stable' } },
            spec: {
              containers: [
                { name: 'app', image: stableImage(name), ports: [{ containerPort: 8080, name: 'http' }] },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels: { app: name } },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name, namespace },
        spec: {
          host,
          subsets: [
            { name: 'stable', labels: { version: 'stable' } },
            { name: 'canary', labels: { version: 'canary' } },
          ],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name, namespace, annotations: { 'aviary.dev/profile': JSON.stringify(seedProfile) } },
        spec: {
          hosts: [name, host],
          gateways: ['mesh'],
          http: [
            {
              name: 'primary',
              route: [
                { destination: { host, subset: 'stable' }, weight: 100 },
                { destination: { host, subset: 'canary' }, weight: 0 },
              ],
            },
          ],
        },
      },
    );
  }
  return objects;
}

/** Write the seed through the same admission as any client, skipping what already exists. */
export function applySeed(store: ObjectStore, objects: KubeObject[] = seedObjects()): void {
  for (const obj of objects) {
    const rt = resourceForKind(obj.apiVersion, obj.kind);
    if (!rt) throw new Error(`seed object of unserved kind ${obj.apiVersion} ${obj.kind}`);
    if (store.get(rt, obj.metadata.namespace, obj.metadata.name)) continue;
    store.create(rt, obj.metadata.namespace, obj);
  }
}
