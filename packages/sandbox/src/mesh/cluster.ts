import { resourceTypes } from '../kube/resources.ts';
import type { KubeObject, ObjectStore, StoreEvent } from '../kube/store.ts';
import { PORT_ANNOTATION } from '../workloads/objects.ts';
import { type DestinationLabels, destinationLabels } from './metrics.ts';
import type { RouterObjects } from './routers.ts';
import { type VirtualServiceSpec, appliesToMesh, hostsName, toFqdn } from './routing.ts';

/**
 * The mesh's view of the cluster, what istiod pushes to every sidecar: Services, ready pod
 * endpoints, VirtualServices and DestinationRules, kept current from store events. Lookups are
 * cached and the caches dropped on any relevant change, so a request costs a few map reads.
 */

export interface Endpoint {
  pod: string;
  port: number;
  metrics: DestinationLabels;
}

export interface Cluster {
  service: { name: string; namespace: string };
  endpoints: Endpoint[];
  /** Round-robin cursor, shared by every proxy sending to this cluster. */
  next: number;
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  fqdn: string;
}

const routerKinds = new Set(['HTTPRoute', 'TrafficSplit', 'Ingress', 'TraefikService']);
const kinds = new Set(['Service', 'Pod', 'VirtualService', 'DestinationRule', ...routerKinds]);

export class MeshView {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly clusters = new Map<string, Cluster | null>();
  private readonly routes = new Map<string, { spec: VirtualServiceSpec; namespace: string } | null>();
  private routerObjectsCache: RouterObjects | undefined;
  private readonly serviceListeners: ((event: 'added' | 'deleted', svc: ServiceInfo) => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(store: ObjectStore) {
    for (const kind of kinds) this.objects.set(kind, new Map());
    // Subscribe before listing: any event queued meanwhile replays on top and ends consistent.
    this.unsubscribe = store.subscribe((e) => this.apply(e));
    for (const rt of resourceTypes) {
      if (!kinds.has(rt.kind)) continue;
      for (const object of store.list(rt)) this.apply({ type: 'ADDED', rt, object, revision: 0 });
    }
  }

  onService(cb: (event: 'added' | 'deleted', svc: ServiceInfo) => void): void {
    this.serviceListeners.push(cb);
  }

  services(): ServiceInfo[] {
    return [...this.objects.get('Service')!.values()].map(serviceInfo);
  }

  close(): void {
    this.unsubscribe();
  }

  /** The oldest mesh-bound VirtualService naming `fqdn` (Istio's tie-break), if any. */
  virtualServiceFor(fqdn: string): { spec: VirtualServiceSpec; namespace: string } | undefined {
    let hit = this.routes.get(fqdn);
    if (hit === undefined) {
      const vs = oldestFirst(this.objects.get('VirtualService')!).find((o) => {
        const spec: VirtualServiceSpec = o.spec ?? {};
        return appliesToMesh(spec) && hostsName(spec.hosts ?? [], o.metadata.namespace ?? 'default', fqdn);
      });
      hit = vs ? { spec: vs.spec ?? {}, namespace: vs.metadata.namespace ?? 'default' } : null;
      this.routes.set(fqdn, hit);
    }
    return hit ?? undefined;
  }

  /** The live objects of the other routers, oldest first (their tie-break, like Istio's). */
  routerObjects(): RouterObjects {
    this.routerObjectsCache ??= {
      httpRoutes: oldestFirst(this.objects.get('HTTPRoute')!),
      trafficSplits: oldestFirst(this.objects.get('TrafficSplit')!),
      ingresses: oldestFirst(this.objects.get('Ingress')!),
      traefikServices: oldestFirst(this.objects.get('TraefikService')!),
    };
    return this.routerObjectsCache;
  }

  /**
   * Ready endpoints of a Service (optionally one DestinationRule subset). Undefined when the
   * Service or the subset does not exist (Envoy: no cluster, NC).
   */
  cluster(fqdn: string, subset: string | undefined): Cluster | undefined {
    const key = subset ? `${fqdn}|${subset}` : fqdn;
    let hit = this.clusters.get(key);
    if (hit === undefined) {
      hit = this.buildCluster(fqdn, subset) ?? null;
      this.clusters.set(key, hit);
    }
    return hit ?? undefined;
  }

  private buildCluster(fqdn: string, subset: string | undefined): Cluster | undefined {
    const svc = [...this.objects.get('Service')!.values()].find((s) => serviceInfo(s).fqdn === fqdn);
    if (!svc) return undefined;
    const namespace = svc.metadata.namespace ?? 'default';
    let subsetLabels: Record<string, string> = {};
    if (subset) {
      const dr = oldestFirst(this.objects.get('DestinationRule')!).find(
        (o) =>
          typeof o.spec?.host === 'string' && toFqdn(o.spec.host, o.metadata.namespace ?? 'default') === fqdn,
      );
      const found = (
        dr?.spec?.subsets as { name?: string; labels?: Record<string, string> }[] | undefined
      )?.find((s) => s.name === subset);
      if (!found) return undefined;
      subsetLabels = found.labels ?? {};
    }
    const selector: Record<string, string> | undefined = svc.spec?.selector;
    const service = { name: svc.metadata.name, namespace };
    const endpoints: Endpoint[] = [];
    // A Service without a selector has no managed endpoints.
    if (selector && Object.keys(selector).length > 0) {
      for (const pod of this.objects.get('Pod')!.values()) {
        const labels = pod.metadata.labels ?? {};
        if (pod.metadata.namespace !== namespace || !isReady(pod)) continue;
        if (!subsetOf(selector, labels) || !subsetOf(subsetLabels, labels)) continue;
        const port = Number(pod.metadata.annotations?.[PORT_ANNOTATION]);
        const workload = workloadOf(pod);
        endpoints.push({
          pod: pod.metadata.name,
          port,
          metrics: destinationLabels({ service, pod: { namespace, workload, labels } }),
        });
      }
    }
    return { service, endpoints, next: 0 };
  }

  private apply(event: StoreEvent): void {
    const kind = event.object.kind;
    const bucket = this.objects.get(kind);
    if (!bucket) return;
    const key = `${event.object.metadata.namespace ?? ''}/${event.object.metadata.name}`;
    const existed = bucket.has(key);
    if (event.type === 'DELETED') bucket.delete(key);
    else bucket.set(key, event.object);
    if (kind === 'VirtualService') this.routes.clear();
    else if (routerKinds.has(kind)) this.routerObjectsCache = undefined;
    else this.clusters.clear();
    if (kind === 'Service' && existed !== bucket.has(key)) {
      for (const cb of this.serviceListeners) cb(existed ? 'deleted' : 'added', serviceInfo(event.object));
    }
  }
}

function serviceInfo(svc: KubeObject): ServiceInfo {
  const namespace = svc.metadata.namespace ?? 'default';
  return { name: svc.metadata.name, namespace, fqdn: toFqdn(svc.metadata.name, namespace) };
}

function isReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp || !pod.metadata.annotations?.[PORT_ANNOTATION]) return false;
  const conditions: { type?: string; status?: string }[] = pod.status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function subsetOf(wanted: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(wanted)) if (labels[k] !== v) return false;
  return true;
}

/** Istio's heuristic: a ReplicaSet owner minus its `-<pod-template-hash>` is the Deployment. */
export function workloadOf(pod: KubeObject): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return pod.metadata.name;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return owner.name.slice(0, -hash.length - 1);
  }
  return owner.name;
}

function oldestFirst(bucket: Map<string, KubeObject>): KubeObject[] {
  return [...bucket.values()].sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
  );
}
