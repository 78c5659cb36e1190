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
      deployment(name, namespace),
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

/** One namespace per router beside Istio, each with one service under (lighter) load. */
export const routerNamespaces = {
  'gateway-api': 'shop-gateway',
  smi: 'shop-linkerd',
  nginx: 'shop-nginx',
  traefik: 'shop-traefik',
} as const;
export const routerService = 'checkout';

/** Every seeded service, `shop`'s and the router namespaces'. */
export function seededServices(): { namespace: string; service: string }[] {
  return [
    ...seedServices.map((service) => ({ namespace: seedNamespace, service })),
    ...Object.values(routerNamespaces).map((namespace) => ({ namespace, service: routerService })),
  ];
}

/**
 * A namespace routed by one of the other routers: the stable Deployment, the apex Service the
 * clients call, `<service>-stable` and `<service>-canary` Services by the `version` label, and
 * the router's object sending everything to stable.
 */
export function routerSeedObjects(router: keyof typeof routerNamespaces, name = routerService): KubeObject[] {
  const namespace = routerNamespaces[router];
  const annotations = { 'aviary.dev/profile': JSON.stringify(seedProfile) };
  const service = (svc: string, selector: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc, namespace, labels: { app: name } },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    deployment(name, namespace),
    service(name, { app: name }),
    service(`${name}-stable`, { app: name, version: 'stable' }),
    service(`${name}-canary`, { app: name, version: 'canary' }),
  ];
  const pair = (key: 'name' | 'service') => [
    { [key]: `${name}-stable`, ...(key === 'name' ? { port: 80 } : {}), weight: 100 },
    { [key]: `${name}-canary`, ...(key === 'name' ? { port: 80 } : {}), weight: 0 },
  ];
  if (router === 'gateway-api')
    objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace, annotations },
      // GAMMA: the parent is the Service itself, so the mesh applies the route to its callers.
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name, port: 80 }],
        rules: [{ backendRefs: pair('name') }],
      },
    });
  if (router === 'smi')
    objects.push({
      apiVersion: 'split.smi-spec.io/v1alpha2',
      kind: 'TrafficSplit',
      metadata: { name, namespace, annotations },
      spec: { service: name, backends: pair('service') },
    });
  if (router === 'traefik')
    objects.push({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'TraefikService',
      metadata: { name, namespace, annotations },
      spec: { weighted: { services: pair('name') } },
    });
  if (router === 'nginx') {
    const ingress = (ingName: string, backend: string, extra: Record<string, string>): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: ingName, namespace, annotations: extra },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: `${name}.${namespace}.example`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: backend, port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    objects.push(
      ingress(name, `${name}-stable`, {}),
      ingress(`${name}-canary`, `${name}-canary`, {
        ...annotations,
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '0',
      }),
    );
  }
  return objects;
}

function deployment(name: string, namespace: string): KubeObject {
  return {
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
  };
}

/** The whole seed: `shop` on Istio and one namespace per other router. */
export function allSeedObjects(): KubeObject[] {
  return [
    ...seedObjects(),
    ...(Object.keys(routerNamespaces) as (keyof typeof routerNamespaces)[]).flatMap((r) =>
      routerSeedObjects(r),
    ),
  ];
}

/** Write the seed through the same admission as any client, skipping what already exists. */
export function applySeed(store: ObjectStore, objects: KubeObject[] = allSeedObjects()): void {
  for (const obj of objects) {
    const rt = resourceForKind(obj.apiVersion, obj.kind);
    if (!rt) throw new Error(`seed object of unserved kind ${obj.apiVersion} ${obj.kind}`);
    if (store.get(rt, obj.metadata.namespace, obj.metadata.name)) continue;
    store.create(rt, obj.metadata.namespace, obj);
  }
}
